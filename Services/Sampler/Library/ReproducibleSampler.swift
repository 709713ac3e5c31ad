/// The SplitMix64 generator: tiny, fast and fully specified, so a seed gives the same numbers on every
/// machine and Swift version (unlike the standard library's random sources).
public struct SplitMix64: Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A uniform value in `0..<bound` (bound > 0), by rejection so there is no modulo bias.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        let threshold = (0 &- bound) % bound
        while true {
            let value = next()
            if value >= threshold { return value % bound }
        }
    }
}

/// Draws reproducible samples: the same items, count and seed give the same sample, in the same order,
/// on every run and machine.
///
/// The items are first sorted by their path (UTF-8 byte order), so the order they were found in does
/// not matter; then a partial Fisher–Yates shuffle driven by `SplitMix64(seed:)` picks `count` of them.
public enum ReproducibleSampler {
    /// A drawn sample and, when fewer items were available than asked for, a note saying so.
    public struct Draw<Element: Sendable>: Sendable {
        /// The drawn items, in draw order.
        public var items: [Element]
        /// Set exactly when fewer items than `count` were drawn (all of them are returned); it gives the
        /// number drawn.
        public var note: String?
    }

    /// The note of a draw that returns `drawn` of `requested` items, nil when nothing is missing; it names
    /// the number actually returned, so a reader need not count them.
    static func shortfallNote(requested: Int, drawn: Int) -> String? {
        guard drawn < requested else { return nil }
        guard drawn > 0 else { return "requested \(requested) images but none are available; the sample is empty" }
        return "requested \(requested) images but only \(drawn) are available; the sample holds all \(drawn)"
    }

    /// Draws `count` items (all of them, with a note, when fewer are available).
    public static func sample<Element: Sendable>(
        _ items: [Element], count: Int, seed: UInt64,
        path: (Element) -> String
    ) -> Draw<Element> {
        var pool = items.sorted { path($0).utf8.lexicographicallyPrecedes(path($1).utf8) }
        let wanted = max(0, count)
        let taken = min(wanted, pool.count)
        var generator = SplitMix64(seed: seed)
        for index in 0..<taken {
            let pick = index + Int(generator.next(below: UInt64(pool.count - index)))
            pool.swapAt(index, pick)
        }
        return Draw(items: Array(pool.prefix(taken)), note: shortfallNote(requested: wanted, drawn: taken))
    }
}
