namespace GatewayAgent.Testing;

/// <summary>
/// Finds ../shared/conformance (beside the repository) from the test's output folder, or GATEWAY_CONFORMANCE_DIR.
/// Part of the test-support project (tests/GatewayAgent.Testing) that every test project references.
/// </summary>
public static class ConformanceCorpus
{
    public static string Directory { get; } = Locate();

    public static string Rfc4475 => Path.Combine(Directory, "rfc4475");

    public static string ProtosArchive => Path.Combine(Directory, "protos-c07-sip.tar.gz");

    public static string ProtosGroups => Path.Combine(Directory, "protos-c07-sip-groups.tsv");

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("GATEWAY_CONFORMANCE_DIR") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "conformance"), Path.Combine(dir.FullName, "..", "shared", "conformance") })
            {
                if (System.IO.Directory.Exists(Path.Combine(candidate, "rfc4475")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new DirectoryNotFoundException("shared/conformance not found beside the repository; set GATEWAY_CONFORMANCE_DIR");
    }

    /// <summary>The MANIFEST.tsv rows: name, section, class, expectation.</summary>
    public static IEnumerable<(string Name, string Section, string Class, string Expectation)> Manifest()
    {
        foreach (var line in File.ReadLines(Path.Combine(Rfc4475, "MANIFEST.tsv")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            var f = line.Split('\t');
            yield return (f[0], f[1], f[2], f[3]);
        }
    }

    /// <summary>One RFC 4475 message, byte-exact.</summary>
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Rfc4475, name + ".dat"));
}
