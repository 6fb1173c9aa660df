namespace Orlog.Client;

/// <summary>A consumer's key or value type when the bytes are of no interest: they are not deserialized.</summary>
public sealed class Ignore
{
    private Ignore()
    {
    }
}
