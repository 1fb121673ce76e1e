using GatewayAgent.Controller.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>
/// BF-12 upload limit, at the stream: a body without Content-Length (chunked) is counted while it is read, and reading
/// stops just past 1 MiB however much more the client would send.
/// </summary>
[Trait("Ring", "unit")]
public sealed class CsvUploadTests
{
    private static DefaultHttpContext Request(Stream body, string contentType) => new()
    {
        Request = { Body = body, ContentType = contentType, ContentLength = null },
    };

    [Theory]
    [InlineData("text/csv", CsvUpload.MaxFileBytes)]
    [InlineData("multipart/form-data; boundary=b", CsvUpload.MaxFileBytes + CsvUpload.MultipartOverheadBytes)]
    public async Task An_endless_body_without_a_length_is_refused_after_the_limit_BF_12(string contentType, int limit)
    {
        using var body = new EndlessCsv();

        var (bytes, problem) = await CsvUpload.ReadAsync(Request(body, contentType).Request, CancellationToken.None);

        Assert.Null(bytes);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Assert.IsType<ProblemHttpResult>(problem).StatusCode);
        Assert.InRange(body.Served, limit + 1, limit + (64 << 10)); // stopped at the limit, give or take one read
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_reading_BF_12()
    {
        using var body = new EndlessCsv();
        var context = Request(body, "text/csv");
        context.Request.ContentLength = CsvUpload.MaxFileBytes + 1;

        var (_, problem) = await CsvUpload.ReadAsync(context.Request, CancellationToken.None);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Assert.IsType<ProblemHttpResult>(problem).StatusCode);
        Assert.Equal(0, body.Served);
    }

    [Fact]
    public async Task A_body_within_the_limit_is_read_whole_BF_12()
    {
        var table = "0312345678,09012345678\r\n"u8.ToArray();
        using var body = new MemoryStream(table);

        var (bytes, problem) = await CsvUpload.ReadAsync(Request(body, "application/octet-stream").Request, CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal(table, bytes);
    }

    /// <summary>CSV rows without end, counting what it served.</summary>
    private sealed class EndlessCsv : Stream
    {
        private static readonly byte[] Row = "0312345678,09012345678\r\n"u8.ToArray();

        public long Served { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++)
            {
                buffer[offset + i] = Row[(Served + i) % Row.Length];
            }

            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
