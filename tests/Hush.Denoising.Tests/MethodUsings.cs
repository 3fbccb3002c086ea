// Every method's namespace: tests name methods' option records and classes throughout.
global using Hush.Denoising.Methods;
global using Hush.Denoising.Methods.Blind2Grad;
global using Hush.Denoising.Methods.LotaN2N;
global using Hush.Denoising.Methods.Self2Self;
global using Hush.Denoising.Methods.Self2SelfPlus;
global using Hush.Denoising.Methods.ZsN2N;
global using Hush.Denoising.Methods.Bm3d;
global using Hush.Denoising.Methods.Noise2Fast;
global using Hush.Denoising.Methods.Noise2Self;
global using Hush.Denoising.Methods.Dip;
