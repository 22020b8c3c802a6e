/**
 * 256 short, common English words for key fingerprints that partners read to each other on a
 * call. Chosen to be easy to say and hear for people who speak English as a second language:
 * concrete nouns, no two that sound alike or differ by one letter's sound, no homophones.
 */
export const FINGERPRINT_WORDS: readonly string[] = [
  'apple', 'arrow', 'baker', 'bamboo', 'banana', 'barn', 'basket', 'beach',
  'bear', 'bell', 'bench', 'bicycle', 'bird', 'blanket', 'boat', 'bottle',
  'bread', 'brick', 'bridge', 'brush', 'bucket', 'butter', 'button', 'cabin',
  'cactus', 'camel', 'camera', 'candle', 'canoe', 'carpet', 'carrot', 'castle',
  'cat', 'cello', 'chair', 'cherry', 'chess', 'circle', 'cliff', 'clock',
  'cloud', 'coat', 'coffee', 'coin', 'comet', 'cookie', 'copper', 'corn',
  'cotton', 'cow', 'crab', 'crayon', 'crown', 'cup', 'daisy', 'desert',
  'diamond', 'dog', 'dolphin', 'donkey', 'door', 'dragon', 'drum', 'duck',
  'eagle', 'earth', 'egg', 'elbow', 'engine', 'falcon', 'farm', 'feather',
  'fence', 'fern', 'finger', 'fire', 'fish', 'flag', 'flute', 'forest',
  'fork', 'fox', 'frog', 'garden', 'garlic', 'gate', 'ginger', 'giraffe',
  'glass', 'globe', 'glove', 'goat', 'gold', 'grape', 'guitar', 'hammer',
  'harbor', 'hat', 'hill', 'honey', 'horse', 'house', 'island', 'jacket',
  'jam', 'jungle', 'kettle', 'key', 'kite', 'koala', 'ladder', 'lake',
  'lamp', 'lemon', 'leopard', 'letter', 'lily', 'lion', 'lizard', 'lobster',
  'magnet', 'mango', 'map', 'marble', 'market', 'meadow', 'melon', 'mirror',
  'monkey', 'moon', 'mountain', 'mouse', 'mushroom', 'needle', 'nest', 'ocean',
  'octopus', 'olive', 'onion', 'orange', 'orchid', 'otter', 'owl', 'paddle',
  'palace', 'panda', 'paper', 'parrot', 'peach', 'peanut', 'pearl', 'pencil',
  'penguin', 'pepper', 'piano', 'pillow', 'pine', 'pirate', 'planet', 'plum',
  'pocket', 'pony', 'potato', 'pumpkin', 'puzzle', 'rabbit', 'radio', 'rain',
  'rainbow', 'river', 'robot', 'rocket', 'roof', 'rope', 'rose', 'ruby',
  'saddle', 'salmon', 'salt', 'sand', 'scarf', 'school', 'seal', 'shark',
  'sheep', 'shell', 'ship', 'shoe', 'silver', 'snail', 'snow', 'soap',
  'sock', 'sofa', 'spider', 'spoon', 'squirrel', 'stamp', 'star', 'stone',
  'storm', 'straw', 'sugar', 'sun', 'swan', 'table', 'tea', 'teapot',
  'tent', 'thunder', 'tiger', 'toast', 'tomato', 'tooth', 'torch', 'tower',
  'tractor', 'train', 'tree', 'trumpet', 'tulip', 'turtle', 'umbrella', 'valley',
  'violin', 'wagon', 'walnut', 'wallet', 'water', 'whale', 'wheat', 'wheel',
  'whistle', 'window', 'wolf', 'wood', 'wool', 'yacht', 'yogurt', 'zebra',
  'acorn', 'anchor', 'badger', 'beetle', 'bison', 'blossom', 'cobra', 'coral',
  'cricket', 'dune', 'elephant', 'fig', 'glacier', 'hedgehog', 'iceberg', 'igloo',
];
