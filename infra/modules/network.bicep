// The virtual network of the cluster. Silos use Azure CNI (node subnet): every pod gets an address of
// snet-aks, which is what a silo advertises in the membership table (Orlog:Clustering:AdvertisedIP),
// so Orleans clients anywhere in this network (snet-clients, or peered networks) reach the silos and
// their gateways directly. The internal load balancer of the gateway Service also gets its address here.

@description('Name of the virtual network.')
param name string

@description('Azure region of the virtual network.')
param location string

@description('Tags applied to the virtual network.')
param tags object

@description('Address space of the virtual network.')
param addressPrefix string = '10.10.0.0/16'

@description('Subnet of the AKS nodes and pods (Azure CNI gives every pod an address here).')
param aksSubnetPrefix string = '10.10.0.0/20'

@description('Subnet for Orlog clients (VMs, App Service or Container Apps VNet integration, ...).')
param clientsSubnetPrefix string = '10.10.16.0/24'

var aksSubnetName = 'snet-aks'
var clientsSubnetName = 'snet-clients'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: aksSubnetName
        properties: {
          addressPrefix: aksSubnetPrefix
        }
      }
      {
        name: clientsSubnetName
        properties: {
          addressPrefix: clientsSubnetPrefix
        }
      }
    ]
  }
}

@description('Name of the virtual network.')
output name string = vnet.name

@description('Name of the AKS subnet.')
output aksSubnetName string = aksSubnetName

@description('Resource id of the AKS subnet.')
output aksSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, aksSubnetName)

@description('Resource id of the clients subnet.')
output clientsSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, clientsSubnetName)
