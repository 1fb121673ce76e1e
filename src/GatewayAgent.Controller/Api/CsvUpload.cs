using GatewayAgent.Controller.Customers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace GatewayAgent.Controller.Api;

/// <summary>
/// The bytes of an uploaded CSV file (BF-12): the raw request body (<c>text/csv</c>, <c>application/octet-stream</c>,
/// any type but multipart) or the <c>file</c> field of a <c>multipart/form-data</c> form (any file name). The body is
/// hostile until read: it is counted while it streams in, whether it declares a Content-Length or comes chunked, and
/// reading stops at the limit (a file over <see cref="MaxFileBytes"/>, or a form over it plus
/// <see cref="MultipartOverheadBytes"/>, is refused with 413 without reading further).
/// </summary>
internal static class CsvUpload
{
    /// <summary>The largest file accepted: 1 MiB holds some 30,000 rows, far more numbers than any contract has.</summary>
    public const int MaxFileBytes = DestinationCsvImport.MaxFileBytes;

    /// <summary>Room for a form's boundaries, part headers and small other fields around the file.</summary>
    public const int MultipartOverheadBytes = 16 << 10;

    private const string FileField = "file";

    /// <summary>The file's bytes, or the problem to answer with.</summary>
    public static async Task<(byte[]? Bytes, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var multipart = MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            && contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        var limit = multipart ? MaxFileBytes + MultipartOverheadBytes : MaxFileBytes;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge());
        }

        var body = await ReadBoundedAsync(request.Body, limit, cancellationToken);
        if (body is null)
        {
            return (null, TooLarge());
        }

        if (!multipart)
        {
            return (body, null);
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType!.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return (null, Invalid("a multipart/form-data upload needs a boundary in its Content-Type"));
        }

        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(FileField, StringComparison.Ordinal))
                {
                    var file = await ReadBoundedAsync(section.Body, MaxFileBytes, cancellationToken);
                    return file is null ? (null, TooLarge()) : (file, null);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return (null, Invalid($"the multipart/form-data body cannot be read: {ex.Message}"));
        }

        return (null, Invalid($"a multipart/form-data upload carries the CSV in a field named \"{FileField}\""));
    }

    private static Task<byte[]?> ReadBoundedAsync(Stream stream, int limit, CancellationToken cancellationToken) =>
        DestinationCsvImport.ReadBoundedAsync(stream, limit, cancellationToken);

    private static IResult Invalid(string message) => ApiProblems.Invalid([new RuleViolation("csv", "BF-12", message)]);

    private static IResult TooLarge() => ApiProblems.TooLarge(new RuleViolation("csv", "BF-12", $"the file is larger than {MaxFileBytes / (1 << 20)} MiB"));
}
