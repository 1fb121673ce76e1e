namespace GatewayAgent.Hardware.PinMaps;

/// <summary>A pin map that cannot be used; the message names the file and the field ("pinmap rpi4.json: leds.alarm.pin: ...").</summary>
public sealed class PinMapException : Exception
{
    public PinMapException(string message)
        : base(message)
    {
    }

    public PinMapException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
