using GatewayAgent.Controller.Ingest;
using GatewayAgent.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Notification;

/// <summary>Composes mail notification: options, the composer, the sender, the outbox dispatcher and the embedded sink.</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>Registers everything but the <see cref="IOutboxStore"/>, which the controller's database registers.</summary>
    public static IServiceCollection AddNotification(this IServiceCollection services)
    {
        services.AddMailComposition();
        services.AddOptionsSection<SmtpRelayOptions>(SmtpRelayOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptionsSection<SmtpSinkOptions>(SmtpSinkOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<MailMessageFactory>();
        services.TryAddSingleton<SmtpSinkControl>();
        services.TryAddSingleton<SmtpMailSender>();
        services.TryAddSingleton<NotificationMetrics>();
        services.TryAddSingleton<OutboxSignal>();

        // The node id the dispatcher claims outbox rows under; the same instance as telemetry ingest's when both are
        // registered (the last registration is the one resolved).
        services.TryAddSingleton<ControllerNode>();

        // The sink starts before the dispatcher, so a dispatcher aimed at it finds it listening.
        services.TryAddSingleton<SmtpSink>();
        services.AddHostedService(sp => sp.GetRequiredService<SmtpSink>());
        services.TryAddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }

    /// <summary>
    /// Only the composition of mails (Mail options, time zone, <see cref="IMailComposer"/>): for a host that queues mails in
    /// the shared outbox (the settings site's test mail, FN-8) and leaves sending to the controller's dispatcher.
    /// </summary>
    public static IServiceCollection AddMailComposition(this IServiceCollection services)
    {
        services.AddOptionsSection<MailOptions>(MailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new MailTimeZone(
            sp.GetRequiredService<IOptions<MailOptions>>(),
            sp.GetRequiredService<ILogger<MailTimeZone>>()));
        services.TryAddSingleton<IMailComposer, MailComposer>();
        return services;
    }
}
