using System.Runtime.CompilerServices;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>
/// Registers the code-pages provider when the test assembly loads: a test may use MimeKit before the controller
/// assembly (and its own initializer) is loaded, and MimeKit fixes its charset table on first use.
/// </summary>
internal static class TestEncodings
{
#pragma warning disable CA2255 // Test assembly: runs once before any test touches MimeKit.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
}
