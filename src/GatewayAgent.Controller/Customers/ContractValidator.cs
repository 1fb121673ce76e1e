using GatewayAgent.Contracts;
using GatewayAgent.Domain.Customers;
using GatewayAgent.Domain.Mail;
using GatewayAgent.Domain.Numbers;
using GatewayAgent.Domain.Text;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// Checks a whole <see cref="ContractDefinition"/> against the service rules and returns it normalised (numbers as
/// digits). Field names are the JSON paths of the API body, rules are spec IDs where the spec has one. The rules
/// themselves live in GatewayAgent.Domain (numbers, BF-9, FN-9, FN-10, FN-2/BF-2/BF-14); this maps them onto the body.
/// </summary>
public static class ContractValidator
{
    public const int MaxRecipients = 20;

    /// <summary>Additional numbers per contract (issue 12 item 12: a list from the API is bounded before it is checked).</summary>
    public const int MaxAdditionalNumbers = 1000;
    public const int HolderNameLimit = 20;
    public const int SiteInformationLimit = 32;

    /// <summary>
    /// Checks <paramref name="definition"/>; <paramref name="probeCaller"/> is the caller number the controller's probes
    /// present (Controller:Probing:CallerNumber), which the nuisance list must not hold (FN-12).
    /// </summary>
    public static (ContractDefinition Normalized, IReadOnlyList<RuleViolation> Violations) Validate(ContractDefinition definition, string? probeCaller = null)
    {
        var violations = new List<RuleViolation>();

        var contractNumber = NormalizeNumber(definition.ContractNumber, "contractNumber", required: true, violations);
        var numbers = new List<string>();
        if (contractNumber is not null)
        {
            numbers.Add(contractNumber);
        }

        var additional = new List<string>();
        var list = definition.AdditionalNumbers ?? [];
        if (list.Count > MaxAdditionalNumbers)
        {
            violations.Add(new RuleViolation("additionalNumbers", "limit", $"at most {MaxAdditionalNumbers} additional numbers ({list.Count} given)"));
            list = [];
        }

        for (var i = 0; i < list.Count; i++)
        {
            var field = $"additionalNumbers[{i}]";
            var number = NormalizeNumber(list[i], field, required: true, violations);
            if (number is null)
            {
                continue;
            }

            if (numbers.Contains(number))
            {
                violations.Add(new RuleViolation(field, "unique", $"{number} is already one of this contract's numbers"));
                continue;
            }

            numbers.Add(number);
            additional.Add(number);
        }

        if (definition.Channels < 1)
        {
            violations.Add(new RuleViolation("channels", "BF-6", "a contract has at least one channel"));
        }

        var notification = ValidateNotification(definition.Notification ?? new NotificationSettings(), violations);

        // FN-2: the monitoring number is one of the contract's own numbers; probing (service on, FN-14) needs it.
        string? monitoring = null;
        if (!string.IsNullOrWhiteSpace(definition.MonitoringNumber))
        {
            monitoring = PhoneNumber.Normalize(definition.MonitoringNumber) ?? definition.MonitoringNumber.Trim();
            if (ContractInvariants.CheckMonitoringNumber(numbers, monitoring) is { } problem)
            {
                violations.Add(new RuleViolation("monitoringNumber", "FN-2", problem));
            }
        }
        else if (notification.ServiceOn)
        {
            violations.Add(new RuleViolation("monitoringNumber", "FN-2", "the service needs a monitoring number to probe"));
        }

        var probeTarget = ValidateProbeTarget(definition.ProbeTarget, monitoring, notification.ServiceOn, violations);
        var outboundProxy = string.IsNullOrWhiteSpace(definition.OutboundProxy) ? null : definition.OutboundProxy.Trim();
        if (outboundProxy is not null && !IsHopAddress(outboundProxy))
        {
            violations.Add(new RuleViolation("outboundProxy", "format", "expected udp:host:port"));
        }

        if (definition.ProbeInterval is { } interval && (interval < TimeSpan.FromSeconds(5) || interval > TimeSpan.FromHours(24)))
        {
            violations.Add(new RuleViolation("probeInterval", "range", "between 00:00:05 and 24:00:00"));
        }

        var siteId = string.IsNullOrWhiteSpace(definition.SiteId) ? null : definition.SiteId.Trim();
        if (siteId is not null && !Topics.IsValidSiteId(siteId))
        {
            violations.Add(new RuleViolation("siteId", "format", "1-64 characters of A-Z a-z 0-9 - _"));
        }

        if (definition.SitePassword is { } password && (password.Length < 8 || password.Length > 128))
        {
            violations.Add(new RuleViolation("sitePassword", "format", "8 to 128 characters"));
        }

        if (definition.SitePassword is not null && siteId is null)
        {
            violations.Add(new RuleViolation("sitePassword", "format", "a site password needs a site id"));
        }

        var destinations = ValidateDestinations(definition.Destinations ?? [], numbers, monitoring, violations);
        var screening = ValidateScreening(definition.Screening ?? new ScreeningSettings(), probeCaller, violations);

        var normalized = definition with
        {
            ContractNumber = contractNumber,
            AdditionalNumbers = additional,
            MonitoringNumber = monitoring,
            ProbeTarget = probeTarget,
            OutboundProxy = outboundProxy,
            SiteId = siteId,
            Destinations = destinations,
            Notification = notification,
            Screening = screening,
        };
        return (normalized, violations);
    }

    /// <summary>Validates or throws <see cref="ContractRuleException"/>.</summary>
    public static ContractDefinition Require(ContractDefinition definition, string? probeCaller = null)
    {
        var (normalized, violations) = Validate(definition, probeCaller);
        return violations.Count > 0 ? throw new ContractRuleException(violations) : normalized;
    }

    /// <summary>
    /// BF-5: while a contract's bulk forward is on, a call to a number without a destination gets busy and is not
    /// delivered to the site either; so a change that takes the contract from some destinations to none is refused
    /// unless <paramref name="force"/> says the operator means it. <paramref name="current"/> is the record read in the
    /// change's own transaction, so its forwarding state is the one the change commits against. Every write path
    /// (one destination, the list, the CSV, clearing, dropping numbers, replacing the contract) passes here through
    /// <see cref="ContractStore"/>.
    /// </summary>
    public static void RequireDestinationsWhileForwarding(ContractRecord current, ContractDefinition next, bool force)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        if (!force && current.Forwarding.On && current.Destinations.Count > 0 && next.Destinations.Count == 0)
        {
            throw new ContractRuleException(new RuleViolation(
                "destinations",
                "BF-5",
                "forwarding is on; calls to numbers without a destination get busy. Stop forwarding first, or repeat the request with force=true"));
        }
    }

    private static NotificationSettings ValidateNotification(NotificationSettings settings, List<RuleViolation> violations)
    {
        var holder = string.IsNullOrEmpty(settings.HolderName) ? null : settings.HolderName;
        if (holder is not null && FullWidthLength.Check(holder, HolderNameLimit) is { } holderProblem)
        {
            violations.Add(new RuleViolation("notification.holderName", "FN-10", holderProblem));
        }

        var site = string.IsNullOrEmpty(settings.SiteInformation) ? null : settings.SiteInformation;
        if (site is not null && FullWidthLength.Check(site, SiteInformationLimit) is { } siteProblem)
        {
            violations.Add(new RuleViolation("notification.siteInformation", "FN-10", siteProblem));
        }

        var recipients = settings.Recipients ?? [];
        if (recipients.Count > MaxRecipients)
        {
            violations.Add(new RuleViolation("notification.recipients", "FN-8", $"at most {MaxRecipients} recipients"));
        }

        var cleaned = new List<RecipientEntry>(recipients.Count);
        for (var i = 0; i < recipients.Count; i++)
        {
            var address = recipients[i]?.Address?.Trim();
            if (MailAddressRule.Check(address) is { } problem)
            {
                violations.Add(new RuleViolation($"notification.recipients[{i}].address", "FN-9", problem));
                continue;
            }

            cleaned.Add(new RecipientEntry(address!, recipients[i].Send));
        }

        // FN-14: service start, auto-start and auto-stop all require at least one recipient first.
        if (recipients.Count == 0)
        {
            if (settings.ServiceOn)
            {
                violations.Add(new RuleViolation("notification.serviceOn", "FN-14", "starting the service requires at least one recipient"));
            }

            if (settings.AutoStart)
            {
                violations.Add(new RuleViolation("notification.autoStart", "FN-14", "auto-start requires at least one recipient"));
            }

            if (settings.AutoStop)
            {
                violations.Add(new RuleViolation("notification.autoStop", "FN-14", "auto-stop requires at least one recipient"));
            }
        }

        return settings with { HolderName = holder, SiteInformation = site, Recipients = cleaned };
    }

    /// <summary>BF-10: the nuisance list normalised, each number once, at most the limit, never the probe caller (FN-12).</summary>
    private static ScreeningSettings ValidateScreening(ScreeningSettings settings, string? probeCaller, List<RuleViolation> violations)
    {
        var check = NuisanceCallerList.Check(settings.NuisanceCallers ?? [], probeCaller);
        violations.AddRange(check.Breaches.Select(b => new RuleViolation(
            b.Index is { } index ? $"screening.nuisanceCallers[{index}]" : "screening.nuisanceCallers", b.Rule, b.Message)));
        return settings with { NuisanceCallers = check.Callers };
    }

    private static string? ValidateProbeTarget(string? value, string? monitoring, bool serviceOn, List<RuleViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (serviceOn)
            {
                violations.Add(new RuleViolation("probeTarget", "FN-3", "the service needs the SIP URI of the site's agent to probe"));
            }

            return null;
        }

        var target = value.Trim();
        var scheme = target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) ? 4
            : target.StartsWith("sips:", StringComparison.OrdinalIgnoreCase) ? 5 : 0;
        var rest = scheme == 0 ? "" : target[scheme..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var host = at < 0 ? rest : rest[(at + 1)..];
        if (scheme == 0 || host.Length == 0 || target.Any(char.IsWhiteSpace))
        {
            violations.Add(new RuleViolation("probeTarget", "format", "expected a SIP URI such as sip:0312345678@192.0.2.10:5060"));
            return target;
        }

        if (at < 0)
        {
            // The user part of the probe's Request-URI is the monitoring number (FN-2, FN-3).
            return monitoring is null ? target : string.Concat(target.AsSpan(0, scheme), monitoring, "@", host);
        }

        var user = PhoneNumber.Normalize(rest[..at]);
        if (monitoring is not null && user != monitoring)
        {
            violations.Add(new RuleViolation("probeTarget", "FN-2", "the URI's user part must be the monitoring number"));
        }

        return target;
    }

    private static List<DestinationEntry> ValidateDestinations(
        IReadOnlyList<DestinationEntry> entries, List<string> numbers, string? monitoring, List<RuleViolation> violations)
    {
        var result = new List<DestinationEntry>(entries.Count);
        var sources = entries.Select(e => e?.Number is null ? null : PhoneNumber.Normalize(e.Number)).ToList();
        var refused = ContractInvariants.CheckDestinationSources(sources, numbers, monitoring).ToDictionary(b => b.Index);
        for (var i = 0; i < entries.Count; i++)
        {
            // BF-2 (one of the contract's numbers, at most one destination each), BF-14 (not the monitoring number).
            if (refused.TryGetValue(i, out var breach))
            {
                violations.Add(new RuleViolation($"destinations[{i}].number", breach.Rule, breach.Message));
                continue;
            }

            var destination = entries[i].Destination ?? "";
            if (RestrictedDestination.Check(destination) is { } restricted)
            {
                violations.Add(new RuleViolation($"destinations[{i}].destination", "BF-9", restricted));
                continue;
            }

            if (PhoneNumber.Normalize(destination) is not { } normalized || !PhoneNumber.IsSubscriberNumber(normalized))
            {
                violations.Add(new RuleViolation($"destinations[{i}].destination", "format", "10 or 11 digits starting with 0 (hyphens allowed)"));
                continue;
            }

            result.Add(new DestinationEntry(sources[i]!, normalized));
        }

        return result;
    }

    private static string? NormalizeNumber(string? value, string field, bool required, List<RuleViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                violations.Add(new RuleViolation(field, "format", "a phone number is required"));
            }

            return null;
        }

        var number = PhoneNumber.Normalize(value);
        if (!PhoneNumber.IsSubscriberNumber(number))
        {
            violations.Add(new RuleViolation(field, "format", "10 or 11 digits starting with 0 (hyphens allowed)"));
            return null;
        }

        return number;
    }

    private static bool IsHopAddress(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !value[..colon].Equals("udp", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hostPort = value[(colon + 1)..];
        var lastColon = hostPort.LastIndexOf(':');
        return lastColon > 0
            && int.TryParse(hostPort[(lastColon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535
            && !hostPort.Any(char.IsWhiteSpace);
    }
}
