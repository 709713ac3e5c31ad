/// How `VitGPT2Model.generate` searches for a caption; the semantics are those of transformers' `generate`.
public struct GenerationOptions: Sendable, Equatable {
    /// When beam search stops, as transformers' `early_stopping` setting.
    public enum EarlyStopping: Sendable, Equatable {
        /// `True`: stop as soon as `numBeams` finished candidates exist.
        case enabled
        /// `False` (the default): stop when the best running beam, scored at its current length, can no longer
        /// beat the worst finished candidate.
        case heuristic
        /// `"never"`: the canonical test, which for a positive length penalty assumes the maximum length.
        case never
    }

    /// Beams; 1 means greedy search.
    public var numBeams: Int
    /// Longest sequence, counting the decoder start token.
    public var maxLength: Int
    /// Exponent on the generated length that divides a finished beam's log-probability.
    public var lengthPenalty: Float
    /// When beam search stops.
    public var earlyStopping: EarlyStopping

    /// The original captioning pipeline's settings by default: 4 beams, max length 16.
    public init(
        numBeams: Int = 4, maxLength: Int = 16, lengthPenalty: Float = 1,
        earlyStopping: EarlyStopping = .heuristic
    ) {
        self.numBeams = numBeams
        self.maxLength = maxLength
        self.lengthPenalty = lengthPenalty
        self.earlyStopping = earlyStopping
    }

    /// Greedy search with a maximum length.
    public static func greedy(maxLength: Int = 16) -> GenerationOptions {
        GenerationOptions(numBeams: 1, maxLength: maxLength)
    }
}
