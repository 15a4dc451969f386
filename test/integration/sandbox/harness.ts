import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { createSandbox, type SandboxOptions } from '../../../server/sandbox/index';
import type { Json } from '../../helpers/json';

export const tenantA = '7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01';
export const tenantB = 'b2e4a9f1-5d2c-4b8e-8f31-6a7c9e0d4c02';
export const versions = ['dstu2', 'stu3', 'r4'] as const;
export type Version = (typeof versions)[number];

export interface Partner {
  /** Absolute URL of the mount point, e.g. `http://127.0.0.1:1234/sandbox`. */
  url: string;
  register(): Promise<{ client_id: string; client_secret: string; secret_id: string }>;
  token(clientId: string, secret: string, scope: string, how?: 'basic' | 'post'): Promise<{ status: number; body: Json }>;
  /** A token for a tenant from a freshly registered client. */
  tokenFor(tenant: string): Promise<string>;
  fhir(path: string, accessToken: string, init?: RequestInit): Promise<{ status: number; type: string | null; body: Json }>;
  close(): Promise<void>;
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** The sandbox on its own express app, on a loopback port, mounted at `mount`. */
export async function startPartner(options: SandboxOptions, mount = '/sandbox'): Promise<Partner> {
  const sandbox = await createSandbox(options);
  const app = express().use(mount, sandbox.router);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${mount}`;
  const partner: Partner = {
    url,
    async register() {
      const res = await fetch(`${url}/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'test' }),
      });
      expect(res.status).toBe(201);
      return res.json();
    },
    async token(clientId, secret, scope, how = 'basic') {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
        ...(how === 'post' ? { client_id: clientId, client_secret: secret } : {}),
      });
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (how === 'basic') headers.authorization = basic(clientId, secret);
      const res = await fetch(`${url}/token`, { method: 'POST', headers, body: form });
      return { status: res.status, body: await res.json() };
    },
    async tokenFor(tenant) {
      const client = await partner.register();
      const res = await partner.token(client.client_id, client.client_secret, tenant);
      expect(res.status).toBe(200);
      return res.body.access_token;
    },
    async fhir(path, accessToken, init = {}) {
      const target = /^https?:/.test(path) ? path : `${url}${path}`;
      const res = await fetch(target, {
        ...init,
        headers: { authorization: `Bearer ${accessToken}`, ...(init.headers as Record<string, string> | undefined) },
      });
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return partner;
}

export const ids = (bundle: { entry?: { resource: { id: string } }[] }) => (bundle.entry ?? []).map((e) => e.resource.id);
export const familyOf = (patient: { name: { family: string | string[] }[] }) => [patient.name[0].family].flat().join(' ');
export const mrnOf = (patient: { identifier: { type?: { coding?: { code?: string }[] }; value: string }[] }) =>
  patient.identifier.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value;
