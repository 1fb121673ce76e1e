namespace GatewayAgent.Controller.Tests.Api;

/// <summary>BF-16: the dry run's difference between two destination tables.</summary>
[Trait("Ring", "unit")]
public sealed class DestinationPreviewTests
{
    [Fact]
    public void Between_names_added_changed_removed_and_counts_unchanged_BF_16()
    {
        var preview = DestinationPreview.Between(
            [new("0312345678", "09012345678"), new("0312345679", "0667891234"), new("0312345670", "0355550000")],
            [new("0312345678", "09012345678"), new("0312345679", "0399990001"), new("0312345671", "0355550001")]);

        Assert.Equal([new DestinationChange("0312345671", null, "0355550001")], preview.Added);
        Assert.Equal([new DestinationChange("0312345679", "0667891234", "0399990001")], preview.Changed);
        Assert.Equal([new DestinationChange("0312345670", "0355550000", null)], preview.Removed);
        Assert.Equal(1, preview.Unchanged);
        Assert.Equal(3, preview.Destinations.Count);
    }
}
