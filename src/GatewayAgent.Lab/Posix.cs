using System.Runtime.InteropServices;

namespace GatewayAgent.Lab;

internal static partial class Posix
{
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);
}
