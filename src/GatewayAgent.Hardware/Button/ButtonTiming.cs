namespace GatewayAgent.Hardware.Button;

/// <summary>
/// How long a press lasts: released before <see cref="ShortPressMax"/> is a short press; held for
/// <see cref="LongPress"/> is a long press (reported while still held). A press between the two counts as neither.
/// </summary>
public sealed record ButtonTiming(TimeSpan ShortPressMax, TimeSpan LongPress)
{
    public static readonly ButtonTiming Default = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
}
