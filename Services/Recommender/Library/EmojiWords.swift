/// Replaces common emoji in a query with English words ("🐶" → "dog"), so that every method can match them:
/// caption vocabularies and GloVe have no emoji, and MiniLM reads most of them as an unknown token.
///
/// The table covers animals, plants, food and drink, weather, landscapes, vehicles and everyday objects; an
/// emoji it lacks is left as it is. Variation selectors and skin-tone modifiers are ignored.
public enum EmojiWords {
    /// `query` with each known emoji replaced by its words (space-separated from the neighbours), and the
    /// distinct replacements made, as `emoji→words`, in order of first use.
    public static func rewrite(_ query: String) -> (text: String, replacements: [String]) {
        var text = ""
        var replacements = [String]()
        for character in query {
            let bare = String(String.UnicodeScalarView(character.unicodeScalars.filter { !isModifier($0) }))
            guard let words = table[bare] else {
                text.append(character)
                continue
            }
            if let last = text.last, !last.isWhitespace { text.append(" ") }
            text += words + " "
            let replacement = "\(bare)→\(words)"
            if !replacements.contains(replacement) { replacements.append(replacement) }
        }
        guard !replacements.isEmpty else { return (query, []) }
        return (text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "), replacements)
    }

    /// Variation selector 16 and the five skin-tone modifiers.
    private static func isModifier(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\u{FE0F}" || (0x1F3FB...0x1F3FF).contains(scalar.value)
    }

    /// Emoji → words.
    static let table: [String: String] = [
        // Animals.
        "🐶": "dog", "🐕": "dog", "🐩": "poodle dog", "🐱": "cat", "🐈": "cat", "🐈‍⬛": "black cat",
        "🐦": "bird", "🐦‍⬛": "black bird", "🐤": "small bird",
        "🦅": "eagle", "🦆": "duck", "🦉": "owl",
        "🐴": "horse", "🐎": "horse", "🐮": "cow", "🐄": "cow", "🐷": "pig", "🐑": "sheep", "🐭": "mouse",
        "🐰": "rabbit", "🦊": "fox", "🐻": "bear", "🐼": "panda", "🐘": "elephant", "🦒": "giraffe",
        "🦓": "zebra", "🐒": "monkey", "🐟": "fish", "🐠": "tropical fish", "🐡": "fish", "🦈": "shark",
        "🐬": "dolphin", "🐳": "whale", "🐢": "turtle", "🐍": "snake", "🦋": "butterfly", "🐝": "bee",
        "🐞": "ladybird", "🐜": "ant", "🕷": "spider", "🐌": "snail", "🦗": "cricket insect",
        // Plants.
        "🌸": "blossom flower", "🌺": "flower", "🌻": "sunflower", "🌼": "yellow flower", "🌷": "tulip",
        "🌹": "rose", "💐": "bouquet of flowers", "🌱": "seedling", "🌿": "leaves", "🍀": "clover",
        "🍁": "autumn leaf", "🍂": "fallen leaves", "🍃": "leaves", "🌳": "tree", "🌲": "pine tree",
        "🌴": "palm tree", "🌵": "cactus", "🌾": "grass", "🍄": "mushroom",
        // Food and drink.
        "🍎": "apple", "🍏": "green apple", "🍐": "pear", "🍊": "orange", "🍋": "lemon", "🍌": "banana",
        "🍉": "watermelon", "🍇": "grapes", "🍓": "strawberry", "🍒": "cherries", "🍑": "peach",
        "🍍": "pineapple", "🥝": "kiwi", "🍅": "tomato", "🥕": "carrot", "🌽": "corn", "🍞": "bread",
        "🧀": "cheese", "🍕": "pizza", "🍔": "burger", "🍰": "cake", "🎂": "birthday cake",
        "☕": "coffee", "🍵": "tea", "🍷": "wine", "🍺": "beer", "🍻": "beer", "🥂": "champagne",
        "🍸": "cocktail", "🥛": "milk", "🍼": "baby bottle",
        // Weather, sky and landscape.
        "☀": "sun", "🌞": "sun", "🌅": "sunrise", "🌄": "sunrise over mountains", "🌇": "sunset",
        "🌆": "city at dusk", "🌙": "moon", "🌕": "full moon", "⭐": "star", "🌟": "star", "✨": "sparkles",
        "🌌": "milky way night sky", "☁": "cloud", "⛅": "sun behind clouds", "🌧": "rain", "⛈": "storm",
        "🌩": "lightning", "🌈": "rainbow", "❄": "snow", "☃": "snowman", "⛄": "snowman", "🌊": "sea wave",
        "💧": "water drop", "🔥": "fire", "⛰": "mountain", "🏔": "snowy mountain", "🗻": "mountain",
        "🌋": "volcano", "🏖": "beach", "🏝": "island", "🏜": "desert", "🌍": "earth", "🌎": "earth",
        "🌏": "earth", "🏞": "national park landscape", "🌃": "city at night", "🏙": "city skyline",
        // Places and things.
        "🏠": "house", "🏡": "house with garden", "🏰": "castle", "⛪": "church", "🗿": "stone statue",
        "🌉": "bridge", "🗼": "tower", "⛲": "fountain", "⛺": "tent", "🪑": "chair", "🛋": "sofa",
        "🕰": "clock", "⏰": "clock", "🕐": "clock", "🎨": "painting", "🖌": "paint brush", "✏": "pencil",
        "📷": "camera", "🎸": "guitar", "🥁": "drum", "🎹": "piano", "📚": "books", "💡": "light bulb",
        "👶": "baby", "👩": "woman", "👨": "man", "🧑": "person", "👧": "girl", "👦": "boy",
        "🧑‍🚀": "astronaut", "👩‍🚀": "astronaut woman",
        "👨‍🚀": "astronaut man", "🇺🇸": "american flag",
        // Vehicles.
        "🚗": "car", "🚕": "taxi", "🚌": "bus", "🚲": "bicycle", "🏍": "motorcycle", "🛵": "scooter",
        "🚂": "train", "🚆": "train", "✈": "airplane", "🚀": "rocket", "🛰": "satellite", "🚢": "ship",
        "⛵": "sailboat", "🚤": "boat", "🚁": "helicopter",
    ]
}
