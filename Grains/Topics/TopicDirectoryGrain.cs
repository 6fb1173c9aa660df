using Orleans;
using Orlog.Hosting;

namespace Orlog.Topics;

/// <summary>The cluster-wide, durable list of topic names.</summary>
public sealed class TopicDirectoryGrain(
    [PersistentState("topics", OrlogStorage.Metadata)] IPersistentState<TopicDirectoryState> state)
    : Grain, ITopicDirectoryGrain
{
    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Topics]);

    public async Task AddAsync(string topic)
    {
        if (state.State.Topics.Add(topic))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string topic)
    {
        if (state.State.Topics.Remove(topic))
        {
            await state.WriteStateAsync();
        }
    }
}
