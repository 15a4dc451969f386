// Azure resources for a remote Patients environment (`atk provision --env dev`, step arm/deploy):
// a Linux App Service running the built Express backend (which also serves the tab), a
// user-assigned managed identity, a Key Vault with the secrets (the app settings only reference
// them), a storage account with the audit table, and workspace-based Application Insights.
// Outputs go to env/.env.<env> through the Agents Toolkit (same names, upper case); none is a secret.
//
// API versions: the newest generally available version of each type in Microsoft's template
// reference (learn.microsoft.com/azure/templates) as checked on 2026-12-03;
// test/unit/infra/bicep.test.ts keeps them from falling behind those.

@minLength(4)
@maxLength(20)
@description('Prefix of the resource names; names that must be globally unique add a hash of the resource group.')
param resourceBaseName string

@description('App Service plan SKU. B1 or higher: Always On keeps the backend warm for Teams.')
param webAppSku string = 'B1'

param location string = resourceGroup().location

@allowed(['NODE|24-lts', 'NODE|22-lts'])
@description('Node.js LTS of the App Service. The deploy package holds native modules (better-sqlite3) built for this major on Linux x64.')
param linuxFxVersion string = 'NODE|24-lts'

@description('Entra app registration for Teams SSO and on-behalf-of Graph calls (aadApp/create).')
param aadAppClientId string

@secure()
@description('Its client secret: stored in Key Vault, the app setting only references it.')
param aadAppClientSecret string

@description('The tenant the app is registered in; the only tenant allowed to sign in (single-tenant app).')
param aadAppTenantId string

@description('Client id of the backend at the EHR interop partner.')
param ehrClientId string

@secure()
@description('Client secret(s) at the EHR interop partner (comma-separated during a rotation). Empty keeps the secret already in Key Vault: after the first provision, rotate it in Key Vault (README, Deploy).')
param ehrClientSecrets string = ''

@description('Token endpoint of the EHR interop partner (exact URL, or an origin): the only place the secrets are sent.')
param ehrTokenEndpoint string

@description('Comma-separated origins of the EHR interop partner\'s FHIR endpoints.')
param ehrFhirOrigins string

@secure()
@description('Key that seals what the app vouches for in each team\'s SharePoint lists (who wrote a note, what an owner set): base64 of at least 32 random bytes, e.g. `openssl rand -base64 32`. Needed at the first provision; empty keeps the key already in Key Vault, where it is rotated (README, Deploy).')
param storeSealKey string = ''

@description('Name of the Azure Table that keeps the audit trail.')
param auditTableName string = 'PatientsAudit'

@description('Name of the Azure Table where download links and uploads waiting for their import are held; not the audit table.')
param heldItemsTableName string = 'PatientsHeldItems'

@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
@description('Redundancy of the audit trail\'s storage account; ZRS or GZRS where the region offers them.')
param auditStorageSku string = 'Standard_LRS'

@minValue(30)
@maxValue(730)
@description('Days the Log Analytics workspace keeps logs, the audit table\'s write and delete logs and Key Vault\'s audit events included: set it to what the organisation\'s audit-retention policy asks.')
param logRetentionDays int = 365

var suffix = uniqueString(resourceGroup().id)
var webAppName = '${resourceBaseName}-${suffix}'
// Key Vault names: 3-24 letters, digits and hyphens, from a letter; storage accounts: 3-24 lowercase letters and digits.
var compactBase = toLower(replace(replace(resourceBaseName, '-', ''), '_', ''))
var keyVaultName = 'kv${take(compactBase, 9)}${suffix}'
var storageAccountName = 'st${take(compactBase, 9)}${suffix}'
var aadSecretName = 'aad-app-client-secret'
var ehrSecretName = 'ehr-client-secret'
var storeSealSecretName = 'store-seal-key'
var appInsightsSecretName = 'applicationinsights-connection-string'

// Built-in roles (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var keyVaultSecretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'
var storageTableDataContributorRole = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// The web app's identity for Key Vault references, the app's own Key Vault reads and the audit table.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource keyVault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource aadClientSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: keyVault
  name: aadSecretName
  properties: {
    value: aadAppClientSecret
    contentType: 'Entra client secret of the Patients app registration'
  }
}

// Written only when given: a provision with the parameter empty leaves the versions a rotation added.
resource ehrClientSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(ehrClientSecrets)) {
  parent: keyVault
  name: ehrSecretName
  properties: {
    value: ehrClientSecrets
    contentType: 'Client secret(s) of the Patients backend at the EHR interop partner'
  }
}

// Written only when given, as the EHR secret: a provision with the parameter empty leaves the keys
// in the vault (a key replaced there would leave every row it sealed unverifiable).
resource storeSealKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(storeSealKey)) {
  parent: keyVault
  name: storeSealSecretName
  properties: {
    value: storeSealKey
    contentType: 'Key sealing the Patients app rows in teams SharePoint lists (base64)'
  }
}

resource appInsightsConnection 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: keyVault
  name: appInsightsSecretName
  properties: {
    value: appInsights.properties.ConnectionString
    contentType: 'Application Insights connection string (its key admits telemetry)'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRole)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRole)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The audit trail, shared by every instance. Shared keys are off: only Entra identities reach it.
resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: auditStorageSku
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: storage
  name: 'default'
}

resource auditTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tableService
  name: auditTableName
}

resource heldItemsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tableService
  name: heldItemsTableName
}

// The audit trail is append-only for the app (server/storage/azure-table/table-audit-log.ts only
// inserts and queries): its identity may read the table and add entities to it, and nothing else,
// so a compromised instance cannot rewrite or delete what was recorded. No built-in role is that
// narrow (Storage Table Data Contributor also updates and deletes). Table-level data actions:
// learn.microsoft.com/azure/role-based-access-control/permissions/storage.
resource auditAppendRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'patients-audit-append')
  properties: {
    roleName: 'Patients audit trail appender (${resourceGroup().name}, ${suffix})'
    description: 'Reads the Patients audit table and adds records to it; cannot update or delete records or tables.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Storage/storageAccounts/tableServices/tables/read'
        ]
        notActions: []
        dataActions: [
          'Microsoft.Storage/storageAccounts/tableServices/tables/entities/read'
          'Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [
      resourceGroup().id
    ]
  }
}

resource auditAppender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(auditTable.id, identity.id, auditAppendRole.id)
  scope: auditTable
  properties: {
    // A custom role's id is subscription-wide, as a built-in one's is (what `az role definition list` gives).
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', auditAppendRole.name)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
  dependsOn: [
    auditAppendRole
  ]
}

// Held items are written, replaced and deleted as they are used: full data access, on that table only.
resource heldItemsWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(heldItemsTable.id, identity.id, storageTableDataContributorRole)
  scope: heldItemsTable
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRole)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The account that holds the audit trail cannot be deleted (nor its tables through Azure Resource
// Manager) until an owner removes this lock on purpose; data access is unaffected.
resource auditLock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'patients-audit-trail'
  scope: storage
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds the Patients audit trail. Remove only when the trail has been archived as your retention policy requires.'
  }
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

// Who wrote or deleted what in the audit table (anyone granting themselves a data role leaves a
// trace), and who read the vault's secrets. Platform logs: operations, callers and keys, no
// patient data (the audit table's row keys hold a time and a tenant id only).
resource auditTableLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-table-writes-and-deletes'
  scope: tableService
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
  }
}

resource keyVaultLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'key-vault-audit-events'
  scope: keyVault
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // Linux plan
  }
}

resource webApp 'Microsoft.Web/sites@2024-11-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity (not a system-assigned one).
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      // The built server (npm run build); App Service sets PORT.
      appCommandLine: 'node dist/server/index.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      // Liveness and readiness: store reachable, audit writable, configuration complete; no token needed.
      healthCheckPath: '/api/ready'
    }
  }
}

// Deployment with Microsoft Entra only: a publishing profile's user name and password (basic
// authentication) are refused by the SCM site (zip deploy, Kudu) and by FTP, so a leaked profile
// deploys nothing. The toolkit's azureAppService/zipDeploy uploads with an Entra token.
// (learn.microsoft.com/azure/app-service/configure-basic-auth-disable)
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: webApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

// The Key Vault reference syntax App Service resolves with keyVaultReferenceIdentity; versionless,
// so a new version is picked up on restart (learn.microsoft.com/azure/app-service/app-service-key-vault-references).
func kvRef(vaultUri string, secretName string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName})'

// A separate resource because TAB_DOMAIN is the site's own host name. ARM replaces the whole set
// of application settings on every provision, so every setting the backend needs is listed here
// (settings added by hand in the portal would be lost). Secrets are Key Vault references only.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    APP_MODE: 'production'
    AAD_APP_CLIENT_ID: aadAppClientId
    SECRET_AAD_APP_CLIENT_SECRET: kvRef(keyVault.properties.vaultUri, aadSecretName)
    AAD_ALLOWED_TENANTS: aadAppTenantId
    TAB_DOMAIN: webApp.properties.defaultHostName
    EHR_CLIENT_ID: ehrClientId
    // Resolved at start; the app also reads the secret's enabled versions itself (KEY_VAULT_URL),
    // so a rotation takes effect without a restart.
    EHR_CLIENT_SECRETS: kvRef(keyVault.properties.vaultUri, ehrSecretName)
    EHR_TOKEN_ENDPOINT: ehrTokenEndpoint
    EHR_FHIR_ORIGINS: ehrFhirOrigins
    KEY_VAULT_URL: keyVault.properties.vaultUri
    EHR_CLIENT_SECRET_NAME: ehrSecretName
    // The Graph store's seal key: resolved at start (a missing secret stops the start, naming the
    // setting), and its enabled versions read at run time too, the newest sealing (rotation).
    STORE_SEAL_KEYS: kvRef(keyVault.properties.vaultUri, storeSealSecretName)
    STORE_SEAL_KEY_NAME: storeSealSecretName
    // The identity @azure/identity's DefaultAzureCredential uses (Key Vault, audit table).
    AZURE_CLIENT_ID: identity.properties.clientId
    AUDIT_STORE: 'azure-table'
    AUDIT_TABLE_ENDPOINT: storage.properties.primaryEndpoints.table
    AUDIT_TABLE_NAME: auditTableName
    HELD_ITEMS_TABLE_NAME: heldItemsTableName
    APPLICATIONINSIGHTS_CONNECTION_STRING: kvRef(keyVault.properties.vaultUri, appInsightsSecretName)
    // /home is the App Service's persistent storage (the package's own folder is read-only).
    DATA_DIR: '/home/data'
    // The zip deploy is mounted as the app's files; built and installed before upload, never on the server.
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  }
  dependsOn: [
    secretsUser
    auditAppender
    heldItemsWriter
    aadClientSecret
    ehrClientSecret
    storeSealKeySecret
    appInsightsConnection
    auditTable
    heldItemsTable
  ]
}

output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
