namespace GatewayAgent.Controller.Storage;

/// <summary>The database behind the controller (Controller:Storage:Provider).</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}
