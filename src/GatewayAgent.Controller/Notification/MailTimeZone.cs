using System.Globalization;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Notification;

/// <summary>The zone mail times are printed in (Controller:Mail:TimeZone, Japan Standard Time by default), in the FN-15 format.</summary>
public sealed class MailTimeZone
{
    public const string Tokyo = "Asia/Tokyo";

    /// <summary>The FN-15 sample's date-time layout: ■故障検出日時：YYYY/MM/DD hh:mm:ss (24-hour clock).</summary>
    public const string Format = "yyyy/MM/dd HH:mm:ss";

    public MailTimeZone(IOptions<MailOptions> options, ILogger<MailTimeZone> logger)
        : this(options.Value.TimeZone)
    {
        if (IsFixedFallback)
        {
            NotificationLog.TimeZoneFallback(logger, options.Value.TimeZone);
        }
    }

    public MailTimeZone(string id)
    {
        if (!TryResolve(id, out var zone, out var isFallback))
        {
            throw new ArgumentException($"Controller:Mail:TimeZone '{id}' is not a known time zone", nameof(id));
        }

        Zone = zone;
        IsFixedFallback = isFallback;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>True when tzdata lacks Asia/Tokyo and the fixed +09:00 offset is used (Japan has no daylight saving time).</summary>
    public bool IsFixedFallback { get; }

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public string FormatTime(DateTimeOffset instant) => ToLocal(instant).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Finds a zone by IANA or Windows id; Asia/Tokyo (or Tokyo Standard Time) falls back to a fixed +09:00.</summary>
    public static bool TryResolve(string id, out TimeZoneInfo zone, out bool isFixedFallback)
    {
        isFixedFallback = false;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            zone = found;
            return true;
        }

        if (string.Equals(id, Tokyo, StringComparison.OrdinalIgnoreCase) || string.Equals(id, "Tokyo Standard Time", StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.CreateCustomTimeZone(Tokyo, TimeSpan.FromHours(9), "JST (+09:00)", "JST");
            isFixedFallback = true;
            return true;
        }

        zone = TimeZoneInfo.Utc;
        return false;
    }
}
