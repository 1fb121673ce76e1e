using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace GatewayAgent.Controller.Notification;

/// <summary>
/// Writes each mail the sink receives to its directory as "timestamp_message-id.eml", atomically (temp file, then
/// rename). A mail whose Message-ID is already stored (in this run or in an .eml found in the directory at start) is
/// accepted with 250 and not stored again, as archiving MTAs do (issue 12 item 10): a resend after a crash of the
/// sender leaves one file.
/// </summary>
internal sealed class SinkMessageStore(string directory, SmtpSinkControl control, TimeProvider time, ILogger logger) : MessageStore
{
    private readonly ConcurrentDictionary<string, byte> _stored = new(StoredMessageIds(directory), StringComparer.Ordinal);

    public override async Task<SmtpResponse> SaveAsync(
        ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var from = transaction.From is { } sender ? $"{sender.User}@{sender.Host}" : string.Empty;
        var to = string.Join(",", transaction.To.Select(m => $"{m.User}@{m.Host}"));
        if (!control.Accepting)
        {
            NotificationLog.SinkRefused(logger, from, to);
            // 451: a transient refusal, as a relay that is down or overloaded would answer.
            return new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 sink is not accepting mail (simulated relay outage)");
        }

        var bytes = WithFinalLineBreak(buffer.ToArray());
        var messageId = ReadMessageId(bytes);
        if (messageId is not null && !_stored.TryAdd(messageId, 0))
        {
            control.DuplicateDropped();
            NotificationLog.SinkDuplicateDropped(logger, messageId, from, to);
            return SmtpResponse.Ok;
        }

        string path;
        try
        {
            path = await WriteAtomicallyAsync(FileName(messageId), bytes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Not stored: a retry of this mail must be stored, not dropped.
            if (messageId is not null)
            {
                _stored.TryRemove(messageId, out _);
            }

            throw;
        }

        NotificationLog.SinkStored(logger, Path.GetFileName(path), from, to, bytes.LongLength);
        return SmtpResponse.Ok;
    }

    /// <summary>The Message-IDs of the mails already in the directory (a sink restarted on its old directory keeps de-duplicating).</summary>
    private static IEnumerable<KeyValuePair<string, byte>> StoredMessageIds(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.eml"))
        {
            byte[] mail;
            try
            {
                mail = File.ReadAllBytes(file);
            }
            catch (IOException)
            {
                continue;
            }

            if (ReadMessageId(mail) is { } id)
            {
                yield return new KeyValuePair<string, byte>(id, 0);
            }
        }
    }

    /// <summary>The Message-ID header without angle brackets, or null when the mail has none (such mails are never de-duplicated).</summary>
    internal static string? ReadMessageId(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        try
        {
            var value = HeaderList.Load(stream)[HeaderId.MessageId];
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim().Trim('<', '>').Trim();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// SmtpServer hands over the data without the CRLF in front of the terminating ".", which RFC 5321 §4.1.1.4 counts
    /// as the last line's own line break: put it back so the .eml holds the message as sent.
    /// </summary>
    internal static byte[] WithFinalLineBreak(byte[] data) =>
        data.AsSpan().EndsWith("\r\n"u8) ? data : [.. data, (byte)'\r', (byte)'\n'];

    private string FileName(string? messageId)
    {
        var id = Sanitize(messageId ?? Guid.NewGuid().ToString("N"));
        return string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}_{id}");
    }

    /// <summary>Keeps letters, digits, '.', '-', '_' and '@'; anything else (angle brackets, '/', spaces) becomes '_'.</summary>
    internal static string Sanitize(string messageId)
    {
        var text = new StringBuilder(messageId.Length);
        foreach (var c in messageId.Trim().Trim('<', '>'))
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_');
        }

        var result = text.ToString().TrimStart('.');
        return result.Length > 150 ? result[..150] : result.Length == 0 ? "message" : result;
    }

    private async Task<string> WriteAtomicallyAsync(string name, byte[] bytes, CancellationToken cancellationToken)
    {
        // Readers (the lab, tests) only ever see complete files: the .tmp is hidden and renamed when flushed.
        var temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }

        for (var n = 0; ; n++)
        {
            var path = Path.Combine(directory, n == 0 ? $"{name}.eml" : string.Create(CultureInfo.InvariantCulture, $"{name}-{n}.eml"));
            try
            {
                File.Move(temporary, path, overwrite: false);
                return path;
            }
            catch (IOException) when (File.Exists(path) && n < 1000)
            {
                // Same millisecond and sanitized name (two Message-IDs that differ only in replaced characters): keep both, numbered.
            }
        }
    }
}
