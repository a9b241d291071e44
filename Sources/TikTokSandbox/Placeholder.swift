import TikTokKit
