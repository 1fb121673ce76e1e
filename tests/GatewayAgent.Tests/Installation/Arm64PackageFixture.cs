namespace GatewayAgent.Tests.Installation;

/// <summary>
/// The linux-arm64 .deb for the Raspberry Pi as systemd/packaging/build-deb.sh ships it (Native AOT, cross-compiled
/// on this x64 host), built once per run and unpacked: the tests run its /opt/gateway-agent/gateway-agent.
/// </summary>
public sealed class Arm64PackageFixture() : DebPackageFixture("linux-arm64", "agent-arm64-");
