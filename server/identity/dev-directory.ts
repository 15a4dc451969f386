/**
 * The dev directory: a small fixed organisation chart for dev mode and tests, standing in for
 * Azure AD tenants and Teams team membership (which come from Graph in production).
 */
export interface DevUser {
  id: string;
  name: string;
  tenantId: string;
}

export interface DevTeam {
  id: string;
  name: string;
  /** Owners are members too; both lists hold user ids. */
  owners: string[];
  members: string[];
}

export interface DevTenant {
  id: string;
  name: string;
  teams: DevTeam[];
}

export interface DevDirectory {
  tenants: DevTenant[];
  users: DevUser[];
  /** Users holding the audit reader app role. */
  auditReaders?: string[];
}

const contoso = '7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01';
const fabrikam = 'b2e4a9f1-5d2c-4b8e-8f31-6a7c9e0d4c02';

const users: DevUser[] = [
  { id: '0a1b2c3d-0000-4000-8000-000000000001', name: 'Avery Nguyen', tenantId: contoso },
  { id: '0a1b2c3d-0000-4000-8000-000000000002', name: 'Blake Okafor', tenantId: contoso },
  { id: '0a1b2c3d-0000-4000-8000-000000000003', name: 'Casey Lindqvist', tenantId: contoso },
  { id: '0a1b2c3d-0000-4000-8000-000000000004', name: 'Dana Petrova', tenantId: fabrikam },
  { id: '0a1b2c3d-0000-4000-8000-000000000005', name: 'Emery Zhang', tenantId: fabrikam },
  { id: '0a1b2c3d-0000-4000-8000-000000000006', name: 'Finley Haddad', tenantId: fabrikam },
];
const [avery, blake, casey, dana, emery, finley] = users.map((u) => u.id);

/** The embedded dev directory: two tenants, two teams each, owners and members. */
export const devDirectory: DevDirectory = {
  tenants: [
    {
      id: contoso,
      name: 'Contoso Health',
      teams: [
        { id: 'c0ffee00-0000-4000-8000-00000000a001', name: 'Ward 4B Nursing', owners: [avery], members: [avery, blake, casey] },
        { id: 'c0ffee00-0000-4000-8000-00000000a002', name: 'Cardiology Rounds', owners: [blake], members: [blake, avery] },
      ],
    },
    {
      id: fabrikam,
      name: 'Fabrikam Medical Center',
      teams: [
        { id: 'c0ffee00-0000-4000-8000-00000000b001', name: 'ICU Team', owners: [dana], members: [dana, emery, finley] },
        { id: 'c0ffee00-0000-4000-8000-00000000b002', name: 'Social Work', owners: [emery], members: [emery, dana] },
      ],
    },
  ],
  users,
  auditReaders: [casey, finley],
};
