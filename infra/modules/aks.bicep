// The AKS cluster the silos run on:
// - a system node pool (tainted CriticalAddonsOnly, so only system pods run there) and a user node pool
//   `silo` for the brokers, both spread over the availability zones;
// - Azure CNI in the cluster's own subnet (pods get VNet addresses: a silo advertises its pod IP) and
//   Calico network policies (infra/k8s/networkpolicy.yaml keeps the dashboard port off the network);
// - the OIDC issuer and workload identity, and the federated credential that lets the Kubernetes
//   service account orlog/orlog-silo sign in as the silos' managed identity (no secret anywhere);
// - Container insights to the Log Analytics workspace, authenticated with managed identity (a data
//   collection rule and its association with the cluster).
// The StatefulSet's disks use the built-in storage class `managed-csi-premium` (Premium SSD, zonal,
// WaitForFirstConsumer), which every AKS cluster has.

@description('Name of the cluster.')
param name string

@description('Azure region of the cluster.')
param location string

@description('Tags applied to the cluster and the data collection rule.')
param tags object

@description('Availability zones of both node pools; empty for none.')
param zones array

@description('VM size of the silo node pool.')
param vmSize string

@description('Number of nodes in the silo node pool.')
@minValue(1)
@maxValue(1000)
param nodeCount int

@description('VM size of the system node pool.')
param systemVmSize string = 'Standard_D2ds_v5'

@description('Number of nodes in the system node pool.')
@minValue(1)
@maxValue(100)
param systemNodeCount int = 2

@description('Resource id of the subnet of the nodes and pods.')
param subnetId string

@description('Resource id of the Log Analytics workspace of Container insights.')
param workspaceId string

@description('Name of the silos\' user-assigned managed identity (receives the federated credential).')
param siloIdentityName string

@description('Kubernetes namespace of the silos.')
param siloNamespace string

@description('Kubernetes service account of the silos.')
param siloServiceAccount string

var availabilityZones = empty(zones) ? null : zones

resource cluster 'Microsoft.ContainerService/managedClusters@2025-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Base'
    tier: 'Standard'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: name
    enableRBAC: true
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
    autoUpgradeProfile: {
      upgradeChannel: 'patch'
      nodeOSUpgradeChannel: 'NodeImage'
    }
    networkProfile: {
      networkPlugin: 'azure'
      networkPolicy: 'calico'
      loadBalancerSku: 'standard'
      outboundType: 'loadBalancer'
      serviceCidr: '10.0.0.0/16'
      dnsServiceIP: '10.0.0.10'
    }
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        osType: 'Linux'
        osSKU: 'Ubuntu'
        type: 'VirtualMachineScaleSets'
        vmSize: systemVmSize
        count: systemNodeCount
        availabilityZones: availabilityZones
        vnetSubnetID: subnetId
        maxPods: 30
        nodeTaints: [
          'CriticalAddonsOnly=true:NoSchedule'
        ]
        upgradeSettings: {
          maxSurge: '33%'
        }
      }
      {
        // The brokers. The OS disk type is left to AKS: Ephemeral when the VM size can hold it (the
        // Dds_v5 sizes can), Managed otherwise. Broker data is never on the OS disk (a Premium SSD
        // volume per silo). Upgrades drain one node at a time without a surge node: a silo's disk is
        // zonal, so it waits for its own node (same zone) to come back rather than for a new one.
        name: 'silo'
        mode: 'User'
        osType: 'Linux'
        osSKU: 'Ubuntu'
        type: 'VirtualMachineScaleSets'
        vmSize: vmSize
        count: nodeCount
        availabilityZones: availabilityZones
        vnetSubnetID: subnetId
        maxPods: 30
        nodeLabels: {
          'orlog.io/role': 'silo'
        }
        upgradeSettings: {
          maxSurge: '0'
          maxUnavailable: '1'
        }
      }
    ]
    addonProfiles: {
      omsagent: {
        enabled: true
        config: {
          logAnalyticsWorkspaceResourceID: workspaceId
          useAADAuth: 'true'
        }
      }
    }
  }
}

// Container insights with managed identity authentication: what the agent collects and where it goes.
resource containerInsightsRule 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: 'MSCI-${location}-${name}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {
    dataSources: {
      extensions: [
        {
          name: 'ContainerInsightsExtension'
          extensionName: 'ContainerInsights'
          streams: [
            'Microsoft-ContainerInsights-Group-Default'
          ]
          extensionSettings: {
            dataCollectionSettings: {
              interval: '1m'
              namespaceFilteringMode: 'Off'
              enableContainerLogV2: true
            }
          }
        }
      ]
    }
    destinations: {
      logAnalytics: [
        {
          name: 'ciworkspace'
          workspaceResourceId: workspaceId
        }
      ]
    }
    dataFlows: [
      {
        streams: [
          'Microsoft-ContainerInsights-Group-Default'
        ]
        destinations: [
          'ciworkspace'
        ]
      }
    ]
  }
}

resource containerInsightsAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2023-03-11' = {
  name: 'ContainerInsightsExtension'
  scope: cluster
  properties: {
    description: 'Container insights of the Orlog cluster.'
    dataCollectionRuleId: containerInsightsRule.id
  }
}

resource siloIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: siloIdentityName
}

resource siloFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: siloIdentity
  name: 'aks-${siloNamespace}-${siloServiceAccount}'
  properties: {
    issuer: cluster.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:${siloNamespace}:${siloServiceAccount}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

@description('Name of the cluster.')
output name string = cluster.name

@description('Resource id of the cluster.')
output id string = cluster.id

@description('Principal id of the cluster\'s system-assigned identity.')
output clusterPrincipalId string = cluster.identity.principalId

@description('Object id of the kubelet identity (pulls images).')
output kubeletObjectId string = cluster.properties.identityProfile.kubeletidentity.objectId

@description('OIDC issuer URL of the cluster.')
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
