// The storage account shared by every silo: Orleans membership (a table), the metadata store and the
// remote tier of tiered topics (blob containers). Entra ID only: shared keys are disabled, so there is
// no account key or connection string to leak; silos use their managed identity (roles.bicep).

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the storage account.')
param location string

@description('Tags applied to the storage account.')
param tags object

@description('Zone-redundant storage (Standard_ZRS) when true, locally redundant (Standard_LRS) otherwise.')
param zoneRedundant bool

@description('Blob container of the metadata store (Orlog:Metadata:ContainerName).')
param metadataContainerName string

@description('Blob container of the remote tier (Orlog:Tiering:ContainerName).')
param tieringContainerName string

@description('Table of Orleans cluster membership (Orlog:Clustering:TableName).')
param membershipTableName string

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: zoneRedundant ? 'Standard_ZRS' : 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    // A deleted container (the metadata store holds the controller's state) can be restored for a week.
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource metadataContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: metadataContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tieringContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: tieringContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource membershipTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = {
  parent: tableService
  name: membershipTableName
}

@description('Name of the storage account.')
output name string = storage.name

@description('Resource id of the storage account.')
output id string = storage.id

@description('Blob endpoint, https://<account>.blob.<storage suffix>/ (Orlog:Metadata:ServiceUri, Orlog:Tiering:ServiceUri).')
output blobEndpoint string = storage.properties.primaryEndpoints.blob

@description('Table endpoint, https://<account>.table.<storage suffix>/ (Orlog:Clustering:ServiceUri).')
output tableEndpoint string = storage.properties.primaryEndpoints.table

@description('Name of the metadata container.')
output metadataContainerName string = metadataContainer.name

@description('Name of the tiering container.')
output tieringContainerName string = tieringContainer.name

@description('Name of the membership table.')
output membershipTableName string = membershipTable.name
