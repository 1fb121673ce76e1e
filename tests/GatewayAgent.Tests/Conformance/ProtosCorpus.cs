using System.Formats.Tar;
using System.IO.Compression;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// protos-c07-sip.tar.gz unpacked (in-process: GZipStream + System.Formats.Tar) into a temporary folder, which is
/// deleted on dispose; the cases are read from there.
/// </summary>
internal sealed class ProtosCorpus : IDisposable
{
    public const int CaseCount = 4527;

    private readonly DirectoryInfo _directory;

    private ProtosCorpus(DirectoryInfo directory) => _directory = directory;

    public static async Task<ProtosCorpus> UnpackAsync()
    {
        var directory = Directory.CreateTempSubdirectory("protos-c07-sip-");
        try
        {
            await using var file = File.OpenRead(ConformanceCorpus.ProtosArchive);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await TarFile.ExtractToDirectoryAsync(gzip, directory.FullName, overwriteFiles: false);
            return new ProtosCorpus(directory);
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    public ProtosCase Read(int index) =>
        ProtosCase.Parse(index, File.ReadAllBytes(Path.Combine(_directory.FullName, "protos", index.ToString("D7", System.Globalization.CultureInfo.InvariantCulture))));

    public void Dispose() => _directory.Delete(recursive: true);
}
