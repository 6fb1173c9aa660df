using Xunit;

namespace Orlog.Errors;

public class ErrorCodeTests
{
    [Theory]
    [InlineData(ErrorCode.OffsetOutOfRange, "OFFSET_OUT_OF_RANGE", 1)]
    [InlineData(ErrorCode.CorruptMessage, "CORRUPT_MESSAGE", 2)]
    [InlineData(ErrorCode.UnknownTopicOrPartition, "UNKNOWN_TOPIC_OR_PARTITION", 3)]
    [InlineData(ErrorCode.MessageTooLarge, "MESSAGE_TOO_LARGE", 10)]
    [InlineData(ErrorCode.NotEnoughReplicas, "NOT_ENOUGH_REPLICAS", 19)]
    [InlineData(ErrorCode.KafkaStorageError, "KAFKA_STORAGE_ERROR", 56)]
    [InlineData(ErrorCode.FencedLeaderEpoch, "FENCED_LEADER_EPOCH", 74)]
    [InlineData(ErrorCode.UnknownServerError, "UNKNOWN_SERVER_ERROR", -1)]
    public void Codes_HaveKafkasNumbersAndNames(ErrorCode code, string name, short number)
    {
        Assert.Equal(name, code.KafkaName());
        Assert.Equal(number, (short)code);
    }

    [Fact]
    public void OrlogException_CarriesTheCodeAndNamesItInTheMessage()
    {
        var error = new OrlogException(ErrorCode.MessageTooLarge, "Send smaller batches.");

        Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
        Assert.Equal("[MESSAGE_TOO_LARGE] Send smaller batches.", error.Message);
    }

    [Fact]
    public void OffsetOutOfRange_CarriesTheValidRange()
    {
        var error = new OffsetOutOfRangeException(50, 10, 40);

        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
        Assert.Equal((50, 10, 40), (error.RequestedOffset, error.LogStartOffset, error.LogEndOffset));
        Assert.Contains("10 (inclusive) to 40 (exclusive)", error.Message, StringComparison.Ordinal);
    }
}
