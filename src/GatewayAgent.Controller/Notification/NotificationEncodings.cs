using System.Runtime.CompilerServices;
using System.Text;

namespace GatewayAgent.Controller.Notification;

/// <summary>
/// Makes ISO-2022-JP (code page 50220) available before anything touches MimeKit: MimeKit builds its charset table
/// once, from the encodings registered at that moment, and would otherwise decode ISO-2022-JP as Latin-1.
/// </summary>
internal static class NotificationEncodings
{
#pragma warning disable CA2255 // The controller is an executable: this runs at its start, before any mail is built or parsed.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
