using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace GatewayAgent.Portal.Hosting;

/// <summary>
/// The Data Protection key ring in a directory, created owner-only (the keys protect every session cookie) when the
/// ring is first read or written, not when the site is composed, so an invalid setting stops the site before any
/// directory is made. A directory that already exists (a shared volume) is left as it is.
/// </summary>
public sealed class OwnerOnlyXmlRepository(DirectoryInfo directory, ILoggerFactory loggers) : FileSystemXmlRepository(directory, loggers)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public override IReadOnlyCollection<XElement> GetAllElements()
    {
        EnsureDirectory();
        return base.GetAllElements();
    }

    public override void StoreElement(XElement element, string friendlyName)
    {
        EnsureDirectory();
        base.StoreElement(element, friendlyName);
    }

    private void EnsureDirectory()
    {
        var path = Directory.FullName;
        if (System.IO.Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, OwnerOnly);
            File.SetUnixFileMode(path, OwnerOnly); // the create mode passes through the umask; set it exactly
        }
    }
}
