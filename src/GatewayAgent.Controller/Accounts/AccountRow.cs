using System.Data.Common;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Accounts;

/// <summary>A <c>portal_accounts</c> row with its hashes and counters, which never leave the store.</summary>
internal sealed record AccountRow(PortalAccount Account, string? PasswordHash, string? TemporaryHash, long PasswordFailures, long TemporaryFailures)
{
    /// <summary>Reads the columns of <c>PortalAccountStore.SelectAccount</c>.</summary>
    public static AccountRow Read(DbDataReader reader)
    {
        var passwordHash = reader.NullableString(4);
        var temporaryHash = reader.NullableString(8);
        var account = new PortalAccount(
            Number: reader.GetString(0),
            ContractId: reader.Long(1),
            ContractNumber: reader.GetString(2),
            Unit: (AuthenticationUnit)reader.Long(3),
            HasPassword: passwordHash is not null,
            PasswordSetAt: reader.NullableTime(5),
            PasswordInvalidated: reader.Bool(7),
            HasTemporaryPassword: temporaryHash is not null,
            TemporaryIssuedAt: reader.NullableTime(9),
            TemporaryInvalidated: reader.Bool(11),
            CredentialStamp: reader.Long(12),
            RowVersion: reader.Long(13),
            LastLoginAt: reader.NullableTime(14),
            OtpUsage: reader.NullableLong(15) is { } usage ? (OtpUsage)usage : null,
            OtpActive: reader.NullableLong(15) == (long)OtpUsage.Used && !reader.IsDBNull(16));
        return new AccountRow(account, passwordHash, temporaryHash, reader.Long(6), reader.Long(10));
    }
}
