import type { Request, Response } from 'express';
import { problem } from '../../platform/problem.js';

/**
 * A single-use download link answers GET only. Express answers HEAD with the GET route, which
 * would use the link up (and record a download) for a request that receives no file: a link
 * checker, a proxy or a preview asking for the headers first would leave the person who asked
 * with a used link. HEAD is refused before the ticket is looked at.
 */
export function refuseHead(req: Request, res: Response): void {
  if (req.method !== 'HEAD') return;
  res.set('Allow', 'GET');
  throw problem('method_not_allowed', 'A download link is opened with GET; asking for its headers alone would use it up.');
}
