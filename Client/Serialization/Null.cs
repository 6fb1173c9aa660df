namespace Orlog.Client;

/// <summary>The key or value type of messages that have none: serialized as a null key/value.</summary>
public sealed class Null
{
    private Null()
    {
    }
}
