using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Storage;

/// <summary>Rules that span keys: postgres needs ConnectionStrings:Controller.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        options.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail("ConnectionStrings:Controller is required when Controller:Storage:Provider is postgres")
            : ValidateOptionsResult.Success;
}
