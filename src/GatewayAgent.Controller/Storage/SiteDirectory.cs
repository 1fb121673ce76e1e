using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Storage;

/// <summary>Sites are contracts with a site id: the MQTT username is the site id, the password is checked against its PBKDF2 hash.</summary>
public sealed class SiteDirectory(ControllerDatabase database, ILogger<SiteDirectory> logger) : ISiteDirectory
{
    public async ValueTask<bool> AuthenticateAsync(string siteId, string password, CancellationToken cancellationToken)
    {
        var hash = await database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT site_password_hash FROM contracts WHERE site_id = @s");
                command.AddParameter("@s", siteId);
                return await command.ExecuteScalarAsync(cancellationToken) as string;
            },
            cancellationToken);
        var ok = hash is not null && SitePasswordHasher.Verify(password, hash);
        if (!ok)
        {
            Log.SiteAuthenticationRefused(logger, siteId);
        }

        return ok;
    }

    public async ValueTask<long?> FindContractAsync(string siteId, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT id FROM contracts WHERE site_id = @s");
                command.AddParameter("@s", siteId);
                return await command.ScalarLongAsync(cancellationToken);
            },
            cancellationToken);
}
