using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace GatewayAgent.LocalControl;

/// <summary>
/// A fallback directory for the control socket under a directory others may write (/tmp): it must be a real
/// directory (not a symlink), owned by this user, and writable by no one else (issue 12 item 6). Another local user
/// who creates /tmp/gateway-agent-{uid} first (a directory they own, or a symlink to one) could otherwise replace the
/// agent's socket with their own, and then read what the CLI sends and answer it with a false status. The check uses
/// lstat semantics (statx with AT_SYMLINK_NOFOLLOW), and /tmp's sticky bit keeps a directory we own from being
/// renamed or removed by anyone else between the check and the bind.
/// </summary>
internal static class PrivateSocketDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="directory"/> 0700 when absent, narrows one of ours that is wider, and returns null when
    /// it is safe to bind in; otherwise why not (the directory is then left as it is).
    /// </summary>
    public static string? Prepare(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory); // no /tmp shared by users, no statx
            return null;
        }

        try
        {
            if (Lstat(directory) is null)
            {
                // Directory.CreateDirectory would follow a symlink planted at the last moment; mkdir(2) does not, and
                // it fails when anything is there, which the check below then judges.
                _ = mkdir(Utf8(directory), 0x1C0); // 0700
            }

            var reason = Check(directory, out var ours);
            if (reason is not null && ours)
            {
                File.SetUnixFileMode(directory, OwnerOnly);
                reason = Check(directory, out _);
            }

            return reason;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    /// <summary>Null when <paramref name="directory"/> is a real directory of this user that no one else may write.</summary>
    public static string? Check(string directory) => OperatingSystem.IsWindows() ? null : Check(directory, out _);

    private static string? Check(string directory, out bool oursButWide)
    {
        oursButWide = false;
        if (Lstat(directory) is not { } status)
        {
            return "it does not exist";
        }

        var type = status.Mode & 0xF000;
        if (type == 0xA000)
        {
            return "it is a symbolic link";
        }

        if (type != 0x4000)
        {
            return "it is not a directory";
        }

        var euid = geteuid();
        if (status.Uid != euid)
        {
            return $"it is owned by uid {status.Uid}, not by this user (uid {euid})";
        }

        if ((status.Mode & 0x3F) != 0) // any group or other permission
        {
            oursButWide = true;
            return $"its mode is {Convert.ToString(status.Mode & 0xFFF, 8)}, not 700";
        }

        return null;
    }

    private static (uint Uid, int Mode)? Lstat(string path)
    {
        // struct statx has the same layout on every Linux architecture: stx_uid at 20, stx_mode (u16) at 28.
        var buffer = new byte[256];
        if (statx(AtFdCwd, Utf8(path), AtSymlinkNoFollow, StatxType | StatxMode | StatxUid, buffer) != 0)
        {
            return null;
        }

        return (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)), BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)));
    }

    private static byte[] Utf8(string path) => Encoding.UTF8.GetBytes(path + "\0");

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, byte[] pathname, int flags, uint mask, byte[] statxbuf);

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdir(byte[] pathname, uint mode);

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
