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

// Application Insights on the same workspace: the silos' OpenTelemetry metrics and traces arrive there through
// the OpenTelemetry Collector of infra/k8s/otel-collector.yaml (its azuremonitor exporter).
resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  tags: tags
  kind: 'other'
  properties: {
    Application_Type: 'other'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

@description('Resource id of the workspace.')
output id string = workspace.id

@description('Connection string of Application Insights: where the collector sends telemetry (an ingestion address, not an account key).')
output insightsConnectionString string = insights.properties.ConnectionString

@description('Name of the workspace.')
output name string = workspace.name
