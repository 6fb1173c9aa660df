// Orlog on Azure: everything `azd up` provisions for a cluster of Orlog silos on AKS.
//
//   rg-<environmentName>
//   ├─ Log Analytics workspace ........ Container insights (monitoring.bicep)
//   ├─ user-assigned managed identity . the silos' identity, via AKS workload identity (identity.bicep)
//   ├─ virtual network ................ snet-aks (nodes and pods, Azure CNI), snet-clients (network.bicep)
//   ├─ storage account ................ membership table, metadata and tiering containers; Entra ID only (storage.bicep)
//   ├─ container registry ............. the silo image (registry.bicep)
//   ├─ AKS cluster .................... system pool + silo pool over the zones; federated credential (aks.bicep)
//   └─ role assignments ............... storage data roles, AcrPull, Network Contributor (roles.bicep)
//
// The outputs become azd environment values: azd uses the AZURE_* ones to push the image and reach the
// cluster, and substitutes the ORLOG_* ones (and AZURE_CLIENT_ID) into infra/k8s/*.yaml.
// No account key, connection string or other secret is created or output.

targetScope = 'subscription'

@minLength(1)
@maxLength(58)
@description('Name of the azd environment: the resource group is rg-<environmentName>, and it seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Azure region of every resource. Choose one with availability zones, or set zones to [].')
param location string

@minValue(1)
@maxValue(1001)
@description('Number of silos (brokers). Silo i is broker i (0 to siloCount - 1; broker ids above 1000 are reserved for generated ids).')
param siloCount int = 3

@allowed([
  '1'
  '2'
  '3'
])
@description('Availability zones of the node pools (silos are spread over them) and zone-redundant storage. [] for a region without zones: no zones, locally redundant storage.')
param zones array = [
  '1'
  '2'
  '3'
]

@minValue(32)
@maxValue(32767)
@description('Size in GiB of each silo\'s data disk (Premium SSD, managed-csi-premium).')
param diskSizeGiB int = 256

@minLength(1)
@description('VM size of the silo node pool. The silo asks for 2 vCPUs and 8 GiB; keep at least 4 vCPUs and 16 GiB per node.')
param vmSize string = 'Standard_D4ds_v5'

@minValue(1)
@maxValue(1000)
@description('Number of nodes in the silo node pool. Silos go to distinct nodes when they can, so keep nodeCount >= siloCount.')
param nodeCount int = 3

@description('Object id of the deploying user or service principal (azd sets AZURE_PRINCIPAL_ID): it gets read access to the membership table and the blob containers. Empty for none.')
param principalId string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// Names the silo configuration shares with docs/CONFIG.md (their defaults there).
var metadataContainerName = 'orlog-metadata'
var tieringContainerName = 'orlog-segments'
var membershipTableName = 'OrlogMembership'

// The Kubernetes service account the silos run as (infra/k8s/serviceaccount.yaml).
var siloNamespace = 'orlog'
var siloServiceAccount = 'orlog-silo'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    name: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    location: location
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}orlog-silo-${resourceToken}'
    location: location
    tags: tags
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  scope: rg
  params: {
    name: '${abbrs.networkVirtualNetworks}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    zoneRedundant: !empty(zones)
    metadataContainerName: metadataContainerName
    tieringContainerName: tieringContainerName
    membershipTableName: membershipTableName
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    name: '${abbrs.containerRegistryRegistries}${resourceToken}'
    location: location
    tags: tags
  }
}

module aks 'modules/aks.bicep' = {
  name: 'aks'
  scope: rg
  params: {
    name: '${abbrs.containerServiceManagedClusters}${resourceToken}'
    location: location
    // azd finds the deployment target of the `silo` service by this tag (and AZURE_AKS_CLUSTER_NAME).
    tags: union(tags, {
      'azd-service-name': 'silo'
    })
    zones: zones
    vmSize: vmSize
    nodeCount: nodeCount
    subnetId: network.outputs.aksSubnetId
    workspaceId: monitoring.outputs.id
    siloIdentityName: identity.outputs.name
    siloNamespace: siloNamespace
    siloServiceAccount: siloServiceAccount
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    registryName: registry.outputs.name
    vnetName: network.outputs.name
    aksSubnetName: network.outputs.aksSubnetName
    siloPrincipalId: identity.outputs.principalId
    kubeletObjectId: aks.outputs.kubeletObjectId
    clusterPrincipalId: aks.outputs.clusterPrincipalId
    principalId: principalId
  }
}

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Entra ID tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group holding every resource.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Login server azd pushes the silo image to.')
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer

@description('Name of the container registry.')
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name

@description('Name of the AKS cluster azd deploys infra/k8s to.')
output AZURE_AKS_CLUSTER_NAME string = aks.outputs.name

@description('Client id of the silos\' managed identity (service account annotation and AZURE_CLIENT_ID in the pods).')
output AZURE_CLIENT_ID string = identity.outputs.clientId

@description('Table endpoint: Orlog:Clustering:ServiceUri of the silos, and ORLOG_CLUSTER_TABLE / --cluster-table of clients.')
output ORLOG_TABLE_ENDPOINT string = storage.outputs.tableEndpoint

@description('Blob endpoint: Orlog:Metadata:ServiceUri and Orlog:Tiering:ServiceUri of the silos.')
output ORLOG_BLOB_ENDPOINT string = storage.outputs.blobEndpoint

@description('Number of silos: the StatefulSet\'s replicas.')
output ORLOG_SILO_COUNT int = siloCount

@description('Size of each silo\'s data volume, as a Kubernetes quantity.')
output ORLOG_DISK_SIZE string = '${diskSizeGiB}Gi'

@description('Blob container of the metadata store (Orlog:Metadata:ContainerName).')
output ORLOG_METADATA_CONTAINER string = storage.outputs.metadataContainerName

@description('Blob container of the remote tier (Orlog:Tiering:ContainerName).')
output ORLOG_TIERING_CONTAINER string = storage.outputs.tieringContainerName

@description('Table of Orleans membership (Orlog:Clustering:TableName).')
output ORLOG_MEMBERSHIP_TABLE string = storage.outputs.membershipTableName

@description('Subnet for Orlog clients: they reach the silos\' pod addresses and the internal gateway load balancer from this network.')
output ORLOG_CLIENTS_SUBNET_ID string = network.outputs.clientsSubnetId

@description('Application Insights connection string: the OpenTelemetry Collector in the cluster exports the silos\' metrics and traces there.')
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.insightsConnectionString
