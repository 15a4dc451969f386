/**
 * The Microsoft 365 client applications that ask Entra for the tab's single sign-on token (its
 * `azp` in a v2 token, `appid` in v1): the applications the app's registration pre-authorises
 * (aad.manifest.json `preAuthorizedApplications`, which a unit test keeps equal to this list).
 * Source: Teams tab SSO, "Configure the app in Microsoft Entra ID", the client ids of Teams,
 * Microsoft 365 and Outlook. A token another application obtained for the app's API, even with a
 * user's consent, is not the tab's and is refused.
 */
export const MICROSOFT_365_CLIENTS: ReadonlyArray<{ id: string; name: string }> = [
  { id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Teams desktop and mobile' },
  { id: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', name: 'Teams web' },
  { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'Microsoft 365 web' },
  { id: '0ec893e0-5785-4de6-99da-4ed124e5296c', name: 'Microsoft 365 desktop' },
  { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft 365 mobile, Outlook desktop' },
  { id: 'bc59ab01-8403-45c6-8796-ac3ef710b3e3', name: 'Outlook web' },
  { id: '27922004-5251-4030-b22d-91ecd9a37ea4', name: 'Outlook mobile' },
  { id: '4345a7b9-9a63-4910-a426-35363201d503', name: 'Microsoft 365 (Office) web app' },
  { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
];
