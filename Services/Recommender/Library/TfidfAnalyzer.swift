/// The text analysis of scikit-learn's `TfidfVectorizer()` with default settings: Python's `str.lower()`,
/// then the tokens that the pattern `(?u)\b\w\w+\b` finds.
///
/// `\w` follows Python's `re` on `str`: letters (categories L*), characters with a numeric type, and `_`;
/// combining marks are not word characters. Python works on code points, and so does this.
public enum TfidfAnalyzer {
    /// The tokens of `text`, in order, repeats included.
    public static func tokens(_ text: String) -> [String] {
        var tokens = [String]()
        var current = String.UnicodeScalarView()
        for scalar in lowercased(text) {
            if isWordCharacter(scalar) {
                current.append(scalar)
                continue
            }
            if current.count >= 2 { tokens.append(String(current)) }
            current.removeAll(keepingCapacity: true)
        }
        if current.count >= 2 { tokens.append(String(current)) }
        return tokens
    }

    /// Whether Python's `re` counts `scalar` as `\w` in a `str` pattern.
    public static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return scalar.properties.numericType != nil
        }
    }

    /// Python's `str.lower()`: full lower-case mappings, with capital sigma becoming final sigma at the end of
    /// a word (the Unicode Final_Sigma condition).
    static func lowercased(_ text: String) -> [Unicode.Scalar] {
        let scalars = Array(text.unicodeScalars)
        var lowered = [Unicode.Scalar]()
        lowered.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\u{03A3}" && isFinalSigma(scalars, at: index) {
                lowered.append("\u{03C2}")
            } else {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return lowered
    }

    /// A cased letter comes before (skipping case-ignorables) and none comes after (skipping case-ignorables).
    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        func nextCased(_ indices: some Sequence<Int>) -> Bool {
            for position in indices {
                let properties = scalars[position].properties
                if properties.isCaseIgnorable { continue }
                return properties.isCased
            }
            return false
        }
        return nextCased((0..<index).reversed()) && !nextCased((index + 1)..<scalars.count)
    }
}
