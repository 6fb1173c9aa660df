// Role assignments (all with deterministic guid() names, so a second `azd provision` changes nothing):
// - the silos' managed identity: Storage Blob Data Contributor and Storage Table Data Contributor on the
//   storage account (metadata, tiered segments, membership);
// - the AKS kubelet identity: AcrPull on the registry (pulling the silo image);
// - the AKS cluster identity: Network Contributor on the AKS subnet (the internal load balancer of the
//   gateway Service is created in that subnet);
// - the deploying user (principalId, optional): Storage Blob Data Reader and Storage Table Data Reader,
//   to inspect membership and metadata (and to run the orlog CLI with --cluster-table).

@description('Name of the storage account.')
param storageAccountName string

@description('Name of the container registry.')
param registryName string

@description('Name of the virtual network.')
param vnetName string

@description('Name of the AKS subnet.')
param aksSubnetName string

@description('Principal id of the silos\' user-assigned managed identity.')
param siloPrincipalId string

@description('Object id of the AKS kubelet identity.')
param kubeletObjectId string

@description('Principal id of the AKS cluster\'s system-assigned identity.')
param clusterPrincipalId string

@description('Principal id of the deploying user or service principal; empty for none.')
param principalId string = ''

// Built-in role definition ids.
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var storageTableDataReader = '76199698-9eea-4c19-bc75-cec21354c6b6'
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var networkContributor = '4d97b98b-1d4f-4787-a291-c67834d212e7'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {
  name: vnetName

  resource aksSubnet 'subnets' existing = {
    name: aksSubnetName
  }
}

resource siloBlobData 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, siloPrincipalId, storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: siloPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource siloTableData 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, siloPrincipalId, storageTableDataContributor)
  scope: storage
  properties: {
    principalId: siloPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

resource kubeletAcrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, kubeletObjectId, acrPull)
  scope: registry
  properties: {
    principalId: kubeletObjectId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
  }
}

resource clusterSubnet 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vnet::aksSubnet.id, clusterPrincipalId, networkContributor)
  scope: vnet::aksSubnet
  properties: {
    principalId: clusterPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', networkContributor)
  }
}

resource userBlobData 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(storage.id, principalId, storageBlobDataReader)
  scope: storage
  properties: {
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
  }
}

resource userTableData 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(storage.id, principalId, storageTableDataReader)
  scope: storage
  properties: {
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataReader)
  }
}
