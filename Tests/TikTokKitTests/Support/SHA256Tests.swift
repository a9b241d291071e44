import Foundation
import Testing
import TikTokKit

@Suite("SHA-256 and HMAC-SHA256")
struct SHA256Tests {
    @Test(arguments: [
        // FIPS 180-4 / NIST CSRC examples.
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func matchesFIPSExamples(input: String, expected: String) {
        #expect(SHA256.hash(Array(input.utf8)).hexString == expected)
    }

    @Test func millionAsMatchesFIPS() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hash(input).hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesAcrossBlockBoundariesEqualOneShot() {
        // Lengths around the 55/56/64-byte padding boundaries, fed in awkward pieces.
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let whole = SHA256.hash(bytes)
            for pieceSize in [1, 3, 63, 64, 65] {
                var hasher = SHA256()
                var index = 0
                while index < bytes.count {
                    let end = min(index + pieceSize, bytes.count)
                    hasher.update(bytes[index..<end])
                    index = end
                }
                #expect(hasher.finalize() == whole, "length \(length), pieces of \(pieceSize)")
            }
        }
    }

    @Test func blockBoundaryLengthsMatchKnownDigests() {
        // Computed with `head -c N /dev/zero | sha256sum`.
        #expect(SHA256.hash([UInt8](repeating: 0, count: 55)).hexString
            == "02779466cdec163811d078815c633f21901413081449002f24aa3e80f0b88ef7")
        #expect(SHA256.hash([UInt8](repeating: 0, count: 56)).hexString
            == "d4817aa5497628e7c77e6b606107042bbba3130888c5f47a375e6179be789fbb")
        #expect(SHA256.hash([UInt8](repeating: 0, count: 64)).hexString
            == "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b")
    }

    @Test(arguments: [
        // RFC 4231 test cases 1, 2, 3, 4, 6, 7 (case 5 truncates its output).
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func hmacMatchesRFC4231(key: [UInt8], message: [UInt8], expected: String) {
        #expect(HMACSHA256.authenticationCode(for: message, key: key).hexString == expected)
    }

    @Test func hmacMatchesTikTokWebhookExample() {
        let signed = Array("1633174587.{\"a\":1}".utf8)
        #expect(HMACSHA256.authenticationCode(for: signed, key: Array("secret".utf8)).hexString
            == "7151550f9bebe052d14d518d957d02727224ec1912baffb80d34739a3b149820")
    }

    @Test func constantTimeEqualsComparesContentAndLength() {
        #expect(HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2]))
    }
}
