using System.Runtime.InteropServices;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>The few Linux calls the doctor makes that .NET does not wrap: ioctl on a GPIO chip, adjtimex.</summary>
internal static class LinuxNative
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    // GPIO_GET_CHIPINFO_IOCTL = _IOR(0xB4, 0x01, struct gpiochip_info { char name[32]; char label[32]; u32 lines; })
    private const uint GpioGetChipInfo = 0x8044B401;

    /// <summary>The chip's name, label and line count, or the errno text when it cannot be asked.</summary>
    public static (string Name, string Label, int Lines)? GpioChipInfo(string device, out string? error)
    {
        var fd = Open(device, ReadOnly | CloseOnExec);
        if (fd < 0)
        {
            error = Marshal.GetLastPInvokeErrorMessage();
            return null;
        }

        try
        {
            var info = new byte[68];
            if (Ioctl(fd, GpioGetChipInfo, info) < 0)
            {
                error = Marshal.GetLastPInvokeErrorMessage();
                return null;
            }

            error = null;
            return (CString(info.AsSpan(0, 32)), CString(info.AsSpan(32, 32)), BitConverter.ToInt32(info, 64));
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>The kernel clock state from adjtimex(2): 0 TIME_OK ... 5 TIME_ERROR (not synchronised), or -1.</summary>
    public static int ClockState()
    {
        // struct timex is 208 bytes on 64-bit Linux; modes = 0 (first field) only reads.
        var timex = new byte[512];
        return Adjtimex(timex);
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(int fd, nuint request, [In, Out] byte[] argument);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    private static extern int Adjtimex([In, Out] byte[] timex);
}
