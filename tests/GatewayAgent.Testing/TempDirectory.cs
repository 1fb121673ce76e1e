namespace GatewayAgent.Testing;

/// <summary>
/// A fresh directory under the temporary directory, named <c>{prefix}{random}</c>, removed on dispose as far as this
/// user may (a database server's own files may not be).
/// </summary>
public sealed class TempDirectory(string prefix = "gateway-test-") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
