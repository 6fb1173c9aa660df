// Azure Container Registry for the silo image. azd pushes with the deploying user's Entra ID token;
// the AKS kubelet identity pulls with AcrPull (roles.bicep). No admin user, no anonymous pull.

@description('Name of the registry (5-50 letters and digits, globally unique).')
@minLength(5)
@maxLength(50)
param name string

@description('Azure region of the registry.')
param location string

@description('Tags applied to the registry.')
param tags object

@description('Registry SKU.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param sku string = 'Standard'

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

@description('Name of the registry.')
output name string = registry.name

@description('Resource id of the registry.')
output id string = registry.id

@description('Login server of the registry, such as <name>.azurecr.io.')
output loginServer string = registry.properties.loginServer
