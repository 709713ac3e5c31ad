/// Captions and queries made up from word lists with a fixed-seed generator, so that every run of the
/// benchmark searches the same collection.
enum SyntheticCaptions {
    static let subjects = [
        "a dog", "two dogs", "a cat", "a black crow", "a small bird", "a red motorcycle", "a cup of coffee",
        "a yellow flower", "an old wooden bench", "a mountain ridge", "a stone bridge", "a sailing boat",
        "a child", "an astronaut", "a rocket", "a bowl of fruit", "a ladybird", "a dragonfly", "a wall clock",
        "paint brushes", "a bottle of wine", "a drum", "a tabby cat", "a horse", "a waterfall",
    ]
    static let settings = [
        "on the beach", "in a forest", "under storm clouds", "at sunset", "in a living room", "on a wooden table",
        "in the snow", "next to a river", "in a garage", "on green grass", "in a city street", "in a garden",
        "on a rocky summit", "by the sea", "in an office", "at night",
    ]
    static let details = [
        "close-up", "seen from above", "with a blurred background", "in bright light", "in the rain",
        "with blue sky", "in autumn colours", "in black and white", "with long shadows", "",
    ]

    /// `count` captions.
    static func make(count: Int) -> [String] {
        var generator = SplitMix64(seed: 20_240_501)
        return (0..<count).map { _ in
            let subject = subjects[generator.next(below: subjects.count)]
            let setting = settings[generator.next(below: settings.count)]
            let detail = details[generator.next(below: details.count)]
            return detail.isEmpty ? "\(subject) \(setting)" : "\(subject) \(setting), \(detail)"
        }
    }

    /// `count` queries in the style people type.
    static func queries(count: Int) -> [String] {
        var generator = SplitMix64(seed: 7)
        let words = [
            "puppy", "bird on a branch", "motorbike", "espresso", "flowers", "hiking", "sea view",
            "kitten sleeping", "space launch", "storm", "old furniture", "wine glass", "insects",
        ]
        return (0..<count).map { _ in
            let base = words[generator.next(below: words.count)]
            return generator.next(below: 2) == 0 ? base : "\(base) \(settings[generator.next(below: settings.count)])"
        }
    }
}

/// A small deterministic random number generator (SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The next value in 0..<bound.
    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        return Int(value % UInt64(bound))
    }
}
