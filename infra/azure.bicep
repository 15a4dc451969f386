// Azure resources for a remote Patients environment (`atk provision --env dev`, step arm/deploy):
// a Linux App Service running the Express backend, which also serves the built tab.
// Its outputs are written to env/.env.<env> by the Agents Toolkit (same names, upper case).

@minLength(4)
@maxLength(20)
@description('Prefix of the resource names; the web app name adds a hash of the resource group so that it is globally unique.')
param resourceBaseName string

@description('App Service plan SKU. B1 or higher: Always On keeps the backend warm for Teams.')
param webAppSku string = 'B1'

param location string = resourceGroup().location

@description('Node.js runtime. Deploy from a machine (or CI) with the same Node major on Linux x64: better-sqlite3 is a native module built by npm ci there.')
param linuxFxVersion string = 'NODE|20-lts'

@description('Entra app registration for Teams SSO and on-behalf-of Graph calls (aadApp/create).')
param aadAppClientId string

@secure()
param aadAppClientSecret string

@description('The tenant the app is registered in; the only tenant allowed to sign in (single-tenant app).')
param aadAppTenantId string

@description('Client id of the backend at the EHR interop partner.')
param ehrClientId string

@secure()
@description('Client secret(s) at the EHR interop partner, comma-separated during rotation.')
param ehrClientSecrets string

@description('Token endpoint of the EHR interop partner (exact URL, or an origin): the only place the secrets are sent.')
param ehrTokenEndpoint string

@description('Comma-separated origins of the EHR interop partner\'s FHIR endpoints.')
param ehrFhirOrigins string

var webAppName = '${resourceBaseName}-${uniqueString(resourceGroup().id)}'

resource serverfarm 'Microsoft.Web/serverfarms@2021-02-01' = {
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

resource webApp 'Microsoft.Web/sites@2021-02-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      // The backend is TypeScript run by tsx (a runtime dependency); App Service sets PORT.
      appCommandLine: 'node --import tsx server/index.ts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
    }
  }
}

// A separate resource because TAB_DOMAIN is the site's own host name. ARM replaces the whole set
// of application settings on every provision, so every setting the backend needs is listed here
// (settings added by hand in the portal would be lost).
resource appSettings 'Microsoft.Web/sites/config@2021-02-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    APP_MODE: 'production'
    AAD_APP_CLIENT_ID: aadAppClientId
    SECRET_AAD_APP_CLIENT_SECRET: aadAppClientSecret
    AAD_ALLOWED_TENANTS: aadAppTenantId
    TAB_DOMAIN: webApp.properties.defaultHostName
    EHR_CLIENT_ID: ehrClientId
    EHR_CLIENT_SECRETS: ehrClientSecrets
    EHR_TOKEN_ENDPOINT: ehrTokenEndpoint
    EHR_FHIR_ORIGINS: ehrFhirOrigins
    // The audit trail is a SQLite file: /home is the App Service's persistent storage.
    DATA_DIR: '/home/data'
    // npm ci and the build run before the zip deploy (m365agents.yml deploy); no build on the server.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  }
}

output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
