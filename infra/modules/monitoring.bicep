// Log Analytics workspace: container logs, Kubernetes inventory and performance data (Container insights).

@description('Name of the Log Analytics workspace.')
param name string

@description('Azure region of the workspace.')
param location string

@description('Tags applied to the workspace.')
param tags object

@description('Days the workspace keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      // Only Entra ID (managed identity) ingestion and queries; no workspace keys are used.
      disableLocalAuth: true
    }
  }
}

@description('Resource id of the workspace.')
output id string = workspace.id

@description('Name of the workspace.')
output name string = workspace.name
