using System.Globalization;

namespace GatewayAgent.Lab;

/// <summary>One simulated site of the lab: its contract's numbers, its agent's SIP port, MQTT identity and files.</summary>
public sealed record LabSite(int Index, int SipPort, string DataDirectory)
{
    /// <summary>Contract number (the representative number) 03-1000-000N, written without hyphens.</summary>
    public string ContractNumber => "031000" + Index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The additional number that receives probes (FN-2): 03-2000-000N; never forwarded (BF-14).</summary>
    public string MonitoringNumber => "032000" + Index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>A second office line, 03-3000-000N: an additional number without a destination (forwarding on: busy, BF-5).</summary>
    public string SecondNumber => "033000" + Index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Where calls to the contract number go while bulk forwarding is on (BF-2): a mobile number, 090-1234-000N.</summary>
    public string Destination => "090" + (12340000 + Index).ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>Every number of the contract (the site's agent answers them all, standing in for the office's phones).</summary>
    public IReadOnlyList<string> Numbers => [ContractNumber, SecondNumber, MonitoringNumber];

    public string SiteId => "lab-site-" + Index.ToString(CultureInfo.InvariantCulture);

    public string ProbeTarget => $"sip:{MonitoringNumber}@127.0.0.1:{SipPort}";

    public string ControlSocket => Path.Combine(DataDirectory, "control.sock");

    public string Recipient => $"site{Index}-ops@example.jp";

    public string BackupRecipient => $"site{Index}-backup@example.jp";
}
