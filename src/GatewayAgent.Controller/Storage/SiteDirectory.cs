using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Storage;

/// <summary>
/// Sites are contracts with a site id: the MQTT username is the site id, the password is checked against its PBKDF2
/// hash. An unknown site id (or one without a password) costs the same PBKDF2 work, against a hash of nothing, so the
/// time a refusal takes does not tell which site ids exist (issue 12 item 8).
/// </summary>
public sealed class SiteDirectory(ControllerDatabase database, ILogger<SiteDirectory> logger) : ISiteDirectory
{
    private static readonly Lazy<string> NoSite = new(() => SitePasswordHasher.Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

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
        var ok = SitePasswordHasher.Verify(password, hash ?? NoSite.Value) && hash is not null;
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
