import Testing

@testable import SamplerService

@Suite("Reproducible sampler")
struct ReproducibleSamplerTests {
    private let files = (0..<50).map { "images/photo_\($0).jpg" }

    private func draw(_ items: [String], count: Int, seed: UInt64) -> ReproducibleSampler.Draw<String> {
        ReproducibleSampler.sample(items, count: count, seed: seed) { $0 }
    }

    @Test func splitMix64MatchesTheReferenceSequence() {
        // Reference values of SplitMix64 seeded with 1234567 (from the published C implementation).
        var generator = SplitMix64(seed: 1_234_567)
        #expect(generator.next() == 6_457_827_717_110_365_317)
        #expect(generator.next() == 3_203_168_211_198_807_973)
        #expect(generator.next() == 9_817_491_932_198_370_423)
    }

    @Test func sameSeedSameSampleWhateverTheInputOrder() {
        let first = draw(files, count: 10, seed: 42)
        let second = draw(files.reversed(), count: 10, seed: 42)
        #expect(first.items == second.items)
        #expect(first.items.count == 10)
        #expect(Set(first.items).count == 10)
        #expect(first.note == nil)
    }

    @Test func fixedSeedGivesFixedSample() {
        #expect(draw(files, count: 5, seed: 42).items == Self.expectedSeed42)
    }

    /// Computed once and cross-checked with an independent Python implementation of the same algorithm.
    static let expectedSeed42 = [
        "images/photo_20.jpg", "images/photo_8.jpg", "images/photo_27.jpg", "images/photo_28.jpg",
        "images/photo_29.jpg",
    ]

    @Test func differentSeedsDiffer() {
        let samples = Set((0..<10).map { draw(files, count: 5, seed: UInt64($0)).items })
        #expect(samples.count == 10)
    }

    @Test func countAboveAvailableReturnsAllWithANote() {
        let result = draw(Array(files.prefix(3)), count: 10, seed: 7)
        #expect(Set(result.items) == Set(files.prefix(3)))
        #expect(result.note?.contains("only 3") == true)
        #expect(draw([], count: 1, seed: 1).items.isEmpty)
        #expect(draw(files, count: 0, seed: 1).items.isEmpty)
    }
}
