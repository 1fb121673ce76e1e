using System.Globalization;
using GatewayAgent.Contracts.Api;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Domain.Mail;
using GatewayAgent.Portal.Forms;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Pages.Contract;

/// <summary>
/// The contract's failure notification (SS-2: under the contract-settings policy with every page of /Contract), in one
/// form (FN-14's menu): service on/off, auto-start and auto-stop of bulk forward (FN-6, FN-7), the holder name and site
/// information of the mails (FN-10), and up to 20 recipients each with a send flag (FN-8) under FN-9's address rules.
/// Saved with the API's store update (<see cref="ContractStore.UpdateAsync(long, Func{ContractDefinition, ContractDefinition}, bool, SettingsWrite?, CancellationToken)"/>),
/// whose validator holds the rules (FN-14: service, auto-start and auto-stop need a recipient). Each row's test mail
/// (FN-8 "送信テスト", before saving) goes through the outbox like the API's (<see cref="TestMail"/>).
/// </summary>
public sealed class NotificationModel(ContractStore contracts, IMailComposer composer, IOutboxStore outbox, TimeProvider time)
    : ContractSettingsPageModel(contracts)
{
    [BindProperty]
    public bool ServiceOn { get; set; }

    [BindProperty]
    public bool AutoStart { get; set; }

    [BindProperty]
    public bool AutoStop { get; set; }

    [BindProperty]
    public string? HolderName { get; set; }

    [BindProperty]
    public string? SiteInformation { get; set; }

    [BindProperty]
    public List<RecipientRow> Recipients { get; set; } = [];

    /// <summary>The row whose address the test mail goes to.</summary>
    [BindProperty]
    public int? TestRow { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Show(ContractRecord);
        FillFromContract();
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Recipients = [.. Recipients.Where(r => !string.IsNullOrWhiteSpace(r.Address))];
        var settings = new NotificationSettings
        {
            ServiceOn = ServiceOn,
            AutoStart = AutoStart,
            AutoStop = AutoStop,
            HolderName = string.IsNullOrWhiteSpace(HolderName) ? null : HolderName.Trim(),
            SiteInformation = string.IsNullOrWhiteSpace(SiteInformation) ? null : SiteInformation.Trim(),
            Recipients = [.. Recipients.Select(r => new RecipientEntry(r.Address!.Trim(), r.Send))],
        };
        try
        {
            if (await Contracts.UpdateAsync(
                    ContractRecord.Id,
                    current => current with { Notification = settings },
                    force: false,
                    Write("notification.changed", "notification", (before, after) => Describe(before.Notification, after.Notification)),
                    cancellationToken) is null)
            {
                return NotFound();
            }
        }
        catch (StaleSettingsException)
        {
            var stale = await StaleAsync(cancellationToken);
            FillFromContract();
            return stale;
        }
        catch (ContractRuleException ex)
        {
            return Refused(ex.Violations);
        }

        TempData["Notice"] = "故障通知設定を保存しました。";
        return RedirectToPage();
    }

    /// <summary>FN-8: a test mail to one row's address, saved or not; the form keeps what was entered.</summary>
    public async Task<IActionResult> OnPostTestMailAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var address = TestRow is { } row && row >= 0 && row < Recipients.Count ? Recipients[row].Address?.Trim() : null;
        if (MailAddressRule.Check(address) is { } problem) // FN-9
        {
            return Refused([new RuleViolation("address", "FN-9", problem)]);
        }

        await TestMail.QueueAsync(ContractRecord, address!, composer, outbox, time.GetUtcNow(), cancellationToken);
        ViewData["Notice"] = $"{address} にテストメールを送信しました。届いたことを確認してから保存してください。";
        return Page();
    }

    /// <summary>The form as the settings are stored (a stale page shows them as they are now).</summary>
    private void FillFromContract()
    {
        var notification = ContractRecord.Notification;
        (ServiceOn, AutoStart, AutoStop, HolderName, SiteInformation) =
            (notification.ServiceOn, notification.AutoStart, notification.AutoStop, notification.HolderName, notification.SiteInformation);
        Recipients = [.. notification.Recipients.Select(r => new RecipientRow { Address = r.Address, Send = r.Send })];
    }

    /// <summary>What a save changed, for the settings audit.</summary>
    private static string Describe(NotificationSettings before, NotificationSettings after)
    {
        var parts = new List<string>();
        void Flag(string name, bool was, bool now)
        {
            if (was != now)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {was} -> {now}"));
            }
        }

        Flag("serviceOn", before.ServiceOn, after.ServiceOn);
        Flag("autoStart", before.AutoStart, after.AutoStart);
        Flag("autoStop", before.AutoStop, after.AutoStop);
        if (before.HolderName != after.HolderName)
        {
            parts.Add($"holderName {before.HolderName ?? "(none)"} -> {after.HolderName ?? "(none)"}");
        }

        if (before.SiteInformation != after.SiteInformation)
        {
            parts.Add($"siteInformation {before.SiteInformation ?? "(none)"} -> {after.SiteInformation ?? "(none)"}");
        }

        static string List(NotificationSettings n) => string.Join(",", n.Recipients.Select(r => r.Address + (r.Send ? "" : "(no send)")));
        if (List(before) != List(after))
        {
            parts.Add($"recipients [{List(before)}] -> [{List(after)}]");
        }

        return parts.Count == 0 ? "no change" : string.Join("; ", parts);
    }
}
