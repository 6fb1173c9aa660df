// The silos' user-assigned managed identity. Pods use it through AKS workload identity
// (a federated credential for the Kubernetes service account, created in aks.bicep), so no key or
// connection string is stored anywhere.

@description('Name of the managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Name of the identity.')
output name string = identity.name

@description('Resource id of the identity.')
output id string = identity.id

@description('Client (application) id of the identity: AZURE_CLIENT_ID for DefaultAzureCredential.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity, for role assignments.')
output principalId string = identity.properties.principalId
