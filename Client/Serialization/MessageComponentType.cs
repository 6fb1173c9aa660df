namespace Orlog.Client;

/// <summary>Which part of a message a serializer is working on.</summary>
public enum MessageComponentType
{
    Key = 0,
    Value = 1,
}
