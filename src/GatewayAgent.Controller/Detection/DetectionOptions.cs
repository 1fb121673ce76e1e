using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Detection;

/// <summary>Section "Controller:Detection".</summary>
public sealed class DetectionOptions
{
    public const string Section = "Controller:Detection";

    /// <summary>Consecutive misses that declare a failure (FN-4: 4).</summary>
    [Range(1, 100, ErrorMessage = "Controller:Detection:FailureThreshold must be between 1 and 100")]
    public int FailureThreshold { get; set; } = 4;

    /// <summary>Consecutive reached probes that declare recovery (FN-5: 4).</summary>
    [Range(1, 100, ErrorMessage = "Controller:Detection:RecoveryThreshold must be between 1 and 100")]
    public int RecoveryThreshold { get; set; } = 4;

    /// <summary>
    /// Flap damping (off by default): a failed contract is declared recovered (FN-5) only once this long has passed since
    /// its failure was declared, however many reached probes came before; the run of reached probes still has to be
    /// unbroken. A site whose power or line flaps then costs at most one failure and one recovery mail (and switch pair)
    /// per this much time instead of one pair per flap. Zero = FN-5 as written.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Controller:Detection:RecoveryHold must be between 00:00:00 and 1.00:00:00")]
    public TimeSpan RecoveryHold { get; set; } = TimeSpan.Zero;

    /// <summary>How recent a site's power.lost / wan.down / offline signal must be to be named as a failure's cause.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Controller:Detection:SignalWindow must be between 00:00:01 and 1.00:00:00")]
    public TimeSpan SignalWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Probe records kept per contract (older ones are pruned as new ones arrive).</summary>
    [Range(10, 1_000_000, ErrorMessage = "Controller:Detection:ProbeHistory must be between 10 and 1000000")]
    public int ProbeHistory { get; set; } = 1000;
}
